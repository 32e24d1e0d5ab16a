package io.dflockd.server.cluster;

import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockRequests;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.LockStateCodec;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.lock.WaitListener;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The replicated lock state (CLUSTER-DESIGN.md §2): today's {@link LockManager}, unchanged, driven
 * by applied log entries instead of connections and event-loop timers. Every replica that applies the
 * same entries in the same order reaches the same state and produces the same outcomes, because
 * nothing here reads a clock, a random source or hash-order: time is {@link ApplyClock}, timers are
 * {@link ReplicatedTimers}, fences {@link ReplicatedFences}, token salts derive from the entry's seed,
 * and sessions live in a sorted map with owner ids counted in log order.
 *
 * <p><b>Time rule.</b> The first entry applied in a new Raft term fixes that term's base so that
 * replicated time continues from where the previous term left it, without a jump; later entries
 * of the term move it to {@code stamp + base} (never back). Stamps of different leaders are thus
 * never compared, a new leader's clock offset cannot end a lease early, and the time between the
 * old leader's last entry and the new leader's first one does not count against any lease: a
 * failover lengthens leases by its gap, never shortens them (§3).
 *
 * <p>Confined to the apply thread, except {@link #snapshot()} and {@link #heldCount}, which any thread may call.
 */
final class ReplicatedLocks {
    /** Receives the outcomes of applied operations, immediate and deferred (grants after waiting, timeouts). */
    @FunctionalInterface
    interface Deliveries {
        void deliver(SessionKey session, long seq, Outcome outcome);
    }

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final int SNAPSHOT_FORMAT = 1;

    private final ApplyClock clock = new ApplyClock();
    private final ReplicatedTimers timers = new ReplicatedTimers(clock);
    private final ReplicatedFences fences = new ReplicatedFences();
    private final LockManager locks;
    /** Sorted (NodeUp disconnects in key order) and concurrent (connections read their held count). */
    private final ConcurrentSkipListMap<SessionKey, LockOwner> sessions = new ConcurrentSkipListMap<>();
    /** The request number of each session's blocking call in progress (a snapshot restores its listener). */
    private final Map<SessionKey, Long> blockingSeq = new HashMap<>();
    private long nextOwnerId = 1;
    private long term = Long.MIN_VALUE;
    private long termBase;
    private long saltSeed;
    private long saltIndex;
    private Deliveries deliveries = (s, q, o) -> { };
    /** {@link ReplicatedTimers#firstDue()} after the last apply, for other threads (the leader's ticker). */
    private volatile long nextDue = Long.MAX_VALUE;

    ReplicatedLocks(LockSettings settings, LockEvents events) {
        this.locks = new LockManager(settings, clock, timers, fences, events, this::nextSalt);
    }

    /** Applies one committed entry of Raft term {@code entryTerm}; outcomes go to {@code out}. */
    void apply(long entryTerm, ClusterEntry entry, Deliveries out) {
        deliveries = out;
        if (entryTerm != term) {
            term = entryTerm;
            termBase = clock.nanoTime() - entry.stampNanos();
        }
        if (fences.last() == 0) {
            fences.seed(entry.wallNanos());
        }
        saltSeed = entry.saltSeed();
        saltIndex = 0;
        timers.runUntil(entry.stampNanos() + termBase);
        for (ClusterCommand c : entry.commands()) {
            if (c instanceof ClusterCommand.Op op) {
                execute(op);
            } else if (c instanceof ClusterCommand.Disconnect d) {
                disconnect(d.session());
            } else if (c instanceof ClusterCommand.Abandon a) {
                abandon(a.session());
            } else if (c instanceof ClusterCommand.NodeUp up) {
                List<SessionKey> gone = new ArrayList<>();
                for (SessionKey s : sessions.keySet()) {
                    if (s.node().equals(up.node()) && s.incarnation() != up.incarnation()) {
                        gone.add(s);
                    }
                }
                gone.forEach(this::abandon);
            } else if (c instanceof ClusterCommand.Tick) {
                locks.collectIdle(); // removal only, on replicated time: every replica removes the same keys
            }
        }
        nextDue = timers.firstDue();
    }

    /** A session of a dead node incarnation: its waiters go, its held slots run to their lease end. */
    private void abandon(SessionKey session) {
        blockingSeq.remove(session);
        LockOwner owner = sessions.remove(session);
        if (owner != null) {
            locks.abandon(owner);
        }
    }

    private void disconnect(SessionKey session) {
        blockingSeq.remove(session);
        LockOwner owner = sessions.remove(session);
        if (owner != null) {
            locks.disconnect(owner);
        }
    }

    private void execute(ClusterCommand.Op op) {
        LockOwner owner = sessions.computeIfAbsent(op.session(), s -> new LockOwner(nextOwnerId++));
        SessionKey session = op.session();
        long seq = op.seq();
        // The listener of a blocking call is state (the manager branches on its presence), so every
        // replica installs one; each replica then routes the outcome to wherever the session lives.
        Outcome now = LockRequests.execute(locks, owner, op.request(), routeTo(session, seq, owner));
        if (now.kind() == Outcome.Kind.PENDING) {
            blockingSeq.put(session, seq);
        } else {
            deliveries.deliver(session, seq, now);
        }
    }

    private WaitListener routeTo(SessionKey session, long seq, LockOwner owner) {
        return later -> {
            blockingSeq.remove(session);
            locks.waitFinished(owner);
            deliveries.deliver(session, seq, later);
        };
    }

    /**
     * Writes the whole state (CLUSTER-DESIGN.md §2.4 item 6): time, term base, fence counter, sessions
     * and the lock manager's state. Equal states give equal bytes. Call on the apply thread.
     */
    void writeSnapshot(DataOutput out) throws IOException {
        out.writeInt(SNAPSHOT_FORMAT);
        out.writeLong(clock.nanoTime());
        out.writeLong(term);
        out.writeLong(termBase);
        out.writeLong(fences.last());
        out.writeLong(nextOwnerId);
        out.writeInt(sessions.size());
        for (Map.Entry<SessionKey, LockOwner> e : sessions.entrySet()) {
            SessionKey s = e.getKey();
            out.writeUTF(s.node());
            out.writeLong(s.incarnation());
            out.writeLong(s.localId());
            out.writeLong(e.getValue().id());
            Long seq = blockingSeq.get(s);
            out.writeLong(seq == null ? -1 : seq);
        }
        LockStateCodec.write(locks, out);
    }

    /** A replica in the state {@link #writeSnapshot} wrote. */
    static ReplicatedLocks readSnapshot(LockSettings settings, LockEvents events, DataInput in) throws IOException {
        int format = in.readInt();
        if (format != SNAPSHOT_FORMAT) {
            throw new IOException("unknown snapshot format " + format);
        }
        ReplicatedLocks r = new ReplicatedLocks(settings, events);
        r.clock.advanceTo(in.readLong());
        r.term = in.readLong();
        r.termBase = in.readLong();
        r.fences.seed(in.readLong());
        r.nextOwnerId = in.readLong();
        Map<Long, LockOwner> owners = new HashMap<>();
        Map<Long, SessionKey> sessionOf = new HashMap<>();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            SessionKey s = new SessionKey(in.readUTF(), in.readLong(), in.readLong());
            LockOwner owner = new LockOwner(in.readLong());
            long seq = in.readLong();
            r.sessions.put(s, owner);
            owners.put(owner.id(), owner);
            sessionOf.put(owner.id(), s);
            if (seq >= 0) {
                r.blockingSeq.put(s, seq);
            }
        }
        LockStateCodec.read(r.locks, in, id -> owners.computeIfAbsent(id, LockOwner::new), owner -> {
            SessionKey s = sessionOf.get(owner.id());
            return r.routeTo(s, r.blockingSeq.get(s), owner);
        });
        r.nextDue = r.timers.firstDue();
        return r;
    }

    /** SplitMix64 over the entry's seed: unpredictable to clients, identical on every replica. */
    private long nextSalt() {
        long z = saltSeed + ++saltIndex * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Per-key view for stats; replicated time as of the last applied entry. */
    List<ResourceSnapshot> snapshot() {
        return locks.snapshot();
    }

    /** Replicated time as of the last applied entry. */
    long now() {
        return clock.nanoTime();
    }

    /** When the earliest armed timer falls due (replicated time), {@link Long#MAX_VALUE} if none. */
    long nextTimerDue() {
        return nextDue;
    }

    /** Slots the session holds; any thread. */
    int heldCount(SessionKey session) {
        LockOwner owner = sessions.get(session);
        return owner == null ? 0 : owner.heldCount();
    }

    long lastFence() {
        return fences.last();
    }

    int resourceCount() {
        return locks.resourceCount();
    }

    int sessionCount() {
        return sessions.size();
    }
}
