package io.dflockd.server.lock;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The whole lock state of a {@link LockManager} as bytes, and back (cluster snapshots,
 * CLUSTER-DESIGN.md §2.4 item 6). The same state always gives the same bytes: keys in order, holders
 * by fence, queues in FIFO order, owners by id. Timers are not written: they are re-armed from the
 * deadlines on reading (a renewed holder's stale timer would only have re-armed itself).
 *
 * <p>Owners are written as ids; the caller maps ids to its sessions' {@link LockOwner}s and gives
 * every blocking call its listener back. Call with no operation running on the manager.
 */
public final class LockStateCodec {
    /** 2: read-write locks (the resource's type, each holder's and waiter's side). */
    private static final int FORMAT = 2;

    private LockStateCodec() {
    }

    /** Writes {@code locks}' state. */
    public static void write(LockManager locks, DataOutput out) throws IOException {
        List<Resource> resources = new ArrayList<>();
        locks.context().table.all().forEach(resources::add);
        resources.sort(Comparator.comparing(r -> r.key));
        TreeMap<Long, LockOwner> owners = new TreeMap<>();
        out.writeInt(FORMAT);
        out.writeInt(resources.size());
        for (Resource r : resources) {
            writeString(out, r.key);
            out.writeInt(r.limit);
            out.writeBoolean(r.readWrite);
            out.writeLong(r.lastActivity);
            List<Holder> holders = new ArrayList<>(r.holders.values());
            holders.sort(Comparator.comparingLong(h -> h.fence));
            out.writeInt(holders.size());
            for (Holder h : holders) {
                owners.put(h.owner.id(), h.owner);
                out.writeLong(h.owner.id());
                writeString(out, h.token);
                out.writeLong(h.fence);
                out.writeBoolean(h.writer);
                out.writeLong(h.leaseSeconds);
                out.writeLong(h.deadline);
                out.writeBoolean(!h.owner.held.contains(h)); // kept (k/sk): no longer its connection's
                out.writeBoolean(h.record != null);
                if (h.record != null) {
                    out.writeLong(h.record.leaseSeconds);
                    out.writeLong(h.record.since);
                }
            }
            out.writeInt(r.queued);
            for (Waiter w = r.head(); w != null; w = w.next) {
                owners.put(w.owner.id(), w.owner);
                out.writeLong(w.owner.id());
                out.writeLong(w.leaseSeconds);
                out.writeBoolean(w.twoPhase);
                out.writeBoolean(w.writer);
                out.writeBoolean(w.elect);
                out.writeLong(w.since);
                boolean blocking = w.owner.blocking == w;
                out.writeBoolean(blocking);
                if (blocking) {
                    out.writeLong(w.timeoutAt);
                }
            }
        }
        out.writeInt(owners.size());
        for (LockOwner o : owners.values()) {
            out.writeLong(o.id());
            out.writeBoolean(o.closed);
        }
    }

    /**
     * Reads a state written by {@link #write} into {@code locks}, which must be empty.
     *
     * @param owners    the owner of an id (the caller's session table; a new closed owner for ids it
     *                  does not know, e.g. the connection of a kept lock that has gone)
     * @param listeners the listener of an owner's blocking call
     */
    public static void read(LockManager locks, DataInput in, LongFunction<LockOwner> owners,
            Function<LockOwner, WaitListener> listeners) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("unknown lock state format " + format + " (this server reads format " + FORMAT
                    + "; a snapshot of format 1 was written before read-write locks, by an older version)");
        }
        long now = locks.context().now();
        int resources = in.readInt();
        for (int i = 0; i < resources; i++) {
            Resource r = new Resource(readString(in), in.readInt(), in.readBoolean(), 0);
            r.lastActivity = in.readLong();
            int holders = in.readInt();
            for (int j = 0; j < holders; j++) {
                LockOwner owner = owners.apply(in.readLong());
                String token = readString(in);
                long fence = in.readLong();
                boolean writer = in.readBoolean();
                long lease = in.readLong();
                Holder h = new Holder(r, owner, token, fence, writer, lease, in.readLong());
                boolean kept = in.readBoolean();
                if (in.readBoolean()) {
                    long recordLease = in.readLong();
                    Waiter record = new Waiter(r, owner, recordLease, true, writer, in.readLong());
                    record.state = Waiter.State.GRANTED;
                    record.holder = h;
                    h.record = record;
                    owner.records.put(r.key, record);
                }
                r.holders.put(token, h);
                if (!kept) {
                    owner.held.add(h);
                }
                locks.slots().armLeaseTimer(h, now);
            }
            int queued = in.readInt();
            for (int j = 0; j < queued; j++) {
                LockOwner owner = owners.apply(in.readLong());
                long lease = in.readLong();
                boolean twoPhase = in.readBoolean();
                boolean writer = in.readBoolean();
                boolean elect = in.readBoolean();
                Waiter w = new Waiter(r, owner, lease, twoPhase, writer, in.readLong());
                w.elect = elect;
                r.append(w);
                if (twoPhase) {
                    owner.records.put(r.key, w);
                }
                if (in.readBoolean()) {
                    owner.blocking = w;
                    w.listener = listeners.apply(owner);
                    locks.slots().armWaitTimeout(w, Math.max(0, in.readLong() - now), now);
                }
            }
            locks.context().table.restore(r);
        }
        int ownerCount = in.readInt();
        for (int i = 0; i < ownerCount; i++) {
            LockOwner o = owners.apply(in.readLong());
            o.closed = in.readBoolean();
        }
    }

    /** A byte-exact (Latin-1) string as its length and bytes; also the data store's snapshot strings. */
    public static void writeString(DataOutput out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.writeInt(b.length);
        out.write(b);
    }

    /** A string {@link #writeString} wrote. */
    public static String readString(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
