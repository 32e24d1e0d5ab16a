package io.dflockd.server.data;

import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.WaitListener;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The whole state of a {@link DataStore} as bytes, and back (cluster snapshots, next to the lock
 * state of {@code LockStateCodec}). The same state always gives the same bytes: keys in order, list
 * items, waiting pops and barrier parties in order, owners as ids. Timers are not written: a waiting pop's timeout is
 * re-armed from its deadline on reading. Call with no operation running on the store.
 */
public final class DataStateCodec {
    /** 1: counters, entries, lists and their waiting pops; 2: the barriers of {@code bwait} after them. */
    private static final int FORMAT = 2;

    private DataStateCodec() {
    }

    /** Writes {@code data}'s state. */
    public static void write(DataStore data, DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        data.counters.write(out);
        data.entries.write(out);
        data.lists.write(out);
        BarrierCodec.write(data.barriers, out);
    }

    /**
     * Reads a state written by {@link #write} into {@code data}, which must be empty.
     *
     * @param owners    the owner of an id (the caller's session table)
     * @param listeners the listener of an owner's blocking call
     */
    public static void read(DataStore data, DataInput in, LongFunction<LockOwner> owners,
            Function<LockOwner, WaitListener> listeners) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("unknown data state format " + format + " (this server reads format " + FORMAT + ")");
        }
        data.counters.read(in);
        data.entries.read(in);
        data.lists.read(in, owners, listeners);
        BarrierCodec.read(data.barriers, in, owners, listeners);
    }
}
