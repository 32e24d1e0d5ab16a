package io.dflockd.server.data;

import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.WaitListener;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The barriers of a lock state as bytes, and back (cluster snapshots): keys in order, parties in
 * arrival order, timeouts as deadlines on the manager's clock (re-armed on reading). Call with no
 * operation running.
 */
public final class BarrierCodec {
    private BarrierCodec() {
    }

    public static void write(Barriers barriers, DataOutput out) throws IOException {
        var all = barriers.all();
        out.writeInt(all.size());
        for (Barriers.Barrier b : all) {
            byte[] key = b.key.getBytes(StandardCharsets.ISO_8859_1);
            out.writeInt(key.length);
            out.write(key);
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
    public static void read(Barriers barriers, DataInput in, LongFunction<LockOwner> owners,
            Function<LockOwner, WaitListener> listeners) throws IOException {
        long now = barriers.now();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            int n = in.readInt();
            if (n < 0 || n > 1 << 20) {
                throw new IOException("bad barrier key length " + n);
            }
            byte[] key = new byte[n];
            in.readFully(key);
            Barriers.Barrier b = barriers.restore(new String(key, StandardCharsets.ISO_8859_1), in.readInt(),
                    in.readLong());
            int parties = in.readInt();
            for (int j = 0; j < parties; j++) {
                LockOwner owner = owners.apply(in.readLong());
                barriers.join(b, owner, listeners.apply(owner), in.readLong(), now);
            }
        }
    }
}
