package io.dflockd.server.data;

import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockStateCodec;
import io.dflockd.server.lock.WaitListener;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The barriers of a data store as bytes, and back (cluster snapshots, in {@link DataStateCodec}):
 * keys in order, parties in arrival order, timeouts as deadlines on the store's clock (re-armed on
 * reading). Call with no operation running.
 */
final class BarrierCodec {
    private BarrierCodec() {
    }

    static void write(Barriers barriers, DataOutput out) throws IOException {
        var all = barriers.all();
        out.writeInt(all.size());
        for (Barriers.Barrier b : all) {
            LockStateCodec.writeString(out, b.key);
            out.writeInt(b.count);
            out.writeLong(b.lastArrival);
            out.writeInt(b.parties.size());
            for (Barriers.Party p : b.parties) {
                out.writeLong(p.owner.id());
                out.writeLong(p.deadline);
            }
        }
    }

    /**
     * Reads what {@link #write} wrote into the empty {@code barriers}.
     *
     * @param owners    the owner of an id
     * @param listeners the listener of an owner's waiting {@code bwait}
     */
    static void read(Barriers barriers, DataInput in, LongFunction<LockOwner> owners,
            Function<LockOwner, WaitListener> listeners) throws IOException {
        long now = barriers.now();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            Barriers.Barrier b = barriers.restore(LockStateCodec.readString(in), in.readInt(), in.readLong());
            int parties = in.readInt();
            for (int j = 0; j < parties; j++) {
                LockOwner owner = owners.apply(in.readLong());
                barriers.join(b, owner, listeners.apply(owner), in.readLong(), now);
            }
        }
    }
}
