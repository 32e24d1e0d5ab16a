package io.dflockd.server.cluster;

import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockRequests;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.ResourceSnapshot;
import java.util.ArrayList;
import java.util.List;
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

    private final ApplyClock clock = new ApplyClock();
    private final ReplicatedTimers timers = new ReplicatedTimers(clock);
    private final ReplicatedFences fences = new ReplicatedFences();
    private final LockManager locks;
    /** Sorted (NodeUp disconnects in key order) and concurrent (connections read their held count). */
    private final ConcurrentSkipListMap<SessionKey, LockOwner> sessions = new ConcurrentSkipListMap<>();
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
        clock.advanceTo(entry.stampNanos() + termBase);
        if (fences.last() == 0) {
            fences.seed(entry.wallNanos());
        }
        saltSeed = entry.saltSeed();
        saltIndex = 0;
        timers.runDue(clock.nanoTime());
        for (ClusterCommand c : entry.commands()) {
            if (c instanceof ClusterCommand.Op op) {
                execute(op);
            } else if (c instanceof ClusterCommand.Disconnect d) {
                disconnect(d.session());
            } else if (c instanceof ClusterCommand.NodeUp up) {
                List<SessionKey> gone = new ArrayList<>();
                for (SessionKey s : sessions.keySet()) {
                    if (s.node().equals(up.node()) && s.incarnation() != up.incarnation()) {
                        gone.add(s);
                    }
                }
                gone.forEach(this::disconnect);
            } else if (c instanceof ClusterCommand.Tick) {
                locks.collectIdle(); // removal only, on replicated time: every replica removes the same keys
            }
        }
        nextDue = timers.firstDue();
    }

    private void disconnect(SessionKey session) {
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
        Outcome now = LockRequests.execute(locks, owner, op.request(), later -> {
            locks.waitFinished(owner);
            deliveries.deliver(session, seq, later);
        });
        if (now.kind() != Outcome.Kind.PENDING) {
            deliveries.deliver(session, seq, now);
        }
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

    /** The Raft term of the last applied entry and its base: replicated time = leader's stamp + base. */
    long termBase(long ofTerm) {
        return ofTerm == term ? termBase : Long.MIN_VALUE;
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
