package io.dflockd.server.cluster;

import io.dflockd.server.data.DataStateCodec;
import io.dflockd.server.data.PartyAdoption;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockRequests;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.LockStateCodec;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.lock.SlotAdoption;
import io.dflockd.server.lock.WaitListener;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

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

        /** A {@link ClusterCommand.NodeGone} ended {@code node}'s process {@code incarnation}. */
        default void nodeGone(String node, long incarnation) {
        }
    }

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    /** 5: the orphans' barrier outcomes ({@link OrphanParties}) at the end; 4 added the data store ({@link DataStateCodec}). */
    private static final int SNAPSHOT_FORMAT = 5;
    /** The request number of a blocking call whose client has not re-sent it yet: nobody to answer. */
    private static final long UNANSWERED = 0;

    private final ApplyClock clock = new ApplyClock();
    private final ReplicatedTimers timers = new ReplicatedTimers(clock);
    private final ReplicatedFences fences = new ReplicatedFences();
    private final LockManager locks;
    private final StableRefs refs;
    private final OrphanParties parties;
    /** Sorted (NodeUp disconnects in key order) and concurrent (connections read their held count). */
    private final ConcurrentSkipListMap<SessionKey, LockOwner> sessions = new ConcurrentSkipListMap<>();
    /** The request number of each session's blocking call in progress (a snapshot restores its listener). */
    private final Map<SessionKey, Long> blockingSeq = new HashMap<>();
    private final NodeProcesses processes = new NodeProcesses();
    private long nextOwnerId = 1;
    private long term = Long.MIN_VALUE;
    private long termBase;
    private long saltSeed;
    private long saltIndex;
    private Deliveries deliveries = (s, q, o) -> { };
    /** {@link ReplicatedTimers#firstDue()} after the last apply, for other threads (the leader's ticker). */
    private volatile long nextDue = Long.MAX_VALUE;

    /** @param orphanTtlNanos how long a gone client's places are kept for its stable reference; 0 = not at all */
    ReplicatedLocks(LockSettings settings, LockEvents events, long orphanTtlNanos) {
        this.locks = new LockManager(settings, clock, timers, fences, events, this::nextSalt);
        this.refs = new StableRefs(this, timers, clock, orphanTtlNanos);
        this.parties = new OrphanParties(this, refs, clock, orphanTtlNanos);
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
                finish(d.session(), true);
            } else if (c instanceof ClusterCommand.Abandon a) {
                finish(a.session(), false);
            } else if (c instanceof ClusterCommand.BindRef b) {
                if (processes.admits(b.session())) {
                    refs.bind(b.session(), b.ref());
                }
            } else if (c instanceof ClusterCommand.NodeUp up) {
                processes.started(up.node(), up.incarnation());
                endSessionsOf(up.node(), inc -> inc != up.incarnation());
            } else if (c instanceof ClusterCommand.NodeGone gone) {
                if (processes.gone(gone.node(), gone.incarnation())) {
                    endSessionsOf(gone.node(), inc -> inc == gone.incarnation());
                    deliveries.nodeGone(gone.node(), gone.incarnation());
                }
            } else if (c instanceof ClusterCommand.Tick) {
                locks.collectIdle(); // removal only, on replicated time: every replica removes the same keys
            }
        }
        nextDue = timers.firstDue();
    }

    /** Ends, as a dead process's, every session of {@code node} whose incarnation matches; orphans stay. */
    private void endSessionsOf(String node, LongPredicate incarnation) {
        List<SessionKey> ended = new ArrayList<>();
        for (SessionKey s : sessions.keySet()) {
            if (s.node().equals(node) && incarnation.test(s.incarnation()) && !refs.isOrphan(s)) {
                ended.add(s);
            }
        }
        ended.forEach(s -> finish(s, false));
    }

    /**
     * A session ended: gracefully (its client closed it: PROTOCOL.md §7.8 cleanup) or with its node
     * (its waiters go, its held slots run to their lease end: their clients may renew them by token
     * through another node). With a stable reference and {@code --orphan-ttl} it is kept as an orphan instead.
     */
    private void finish(SessionKey session, boolean graceful) {
        if (refs.isOrphan(session)) {
            return; // already ended (e.g. by NodeGone before its connection's close reached the log)
        }
        LockOwner owner = sessions.get(session);
        if (owner != null && !PartyAdoption.waitsAtBarrier(owner) && locks.data().withdrawBlockedCall(owner)) {
            // a waiting pop that nobody can be told of would swallow an item: the client re-sends it
            // (a barrier party stays for an orphan, counted once: OrphanParties)
            blockingSeq.remove(session);
        }
        if (!refs.keep(session, graceful)) {
            end(session, graceful);
        }
    }

    /** Cleans a session up now (also an orphan's expiry). */
    void end(SessionKey session, boolean graceful) {
        refs.forget(session);
        parties.forget(session);
        blockingSeq.remove(session);
        LockOwner owner = sessions.remove(session);
        if (owner == null) {
            return;
        }
        if (graceful) {
            locks.disconnect(owner);
        } else {
            locks.abandon(owner);
        }
    }

    /** {@code claimant} takes over {@code orphan}'s owner (its own, empty one goes). */
    void transfer(SessionKey orphan, SessionKey claimant) {
        LockOwner owner = sessions.remove(orphan);
        blockingSeq.remove(orphan);
        sessions.put(claimant, owner);
        parties.moved(orphan, claimant);
        if (owner.isBlocked() && !blockingSeq.containsKey(claimant)) {
            // the orphan's blocking call waits on, answered to nobody until the client re-sends it
            blockingSeq.put(claimant, UNANSWERED);
            WaitListener nobody = routeTo(claimant, UNANSWERED, owner);
            SlotAdoption.redirectBlockingCall(owner, nobody);
            PartyAdoption.redirect(owner, nobody);
        }
    }

    /** {@code session}'s blocking call in progress will be answered to nobody: another session took it over. */
    void answerNobody(SessionKey session) {
        blockingSeq.remove(session);
    }

    LockOwner owner(SessionKey session) {
        return sessions.get(session);
    }

    LockManager locks() {
        return locks;
    }

    private void execute(ClusterCommand.Op op) {
        SessionKey session = op.session();
        long seq = op.seq();
        if (!processes.admits(session)) {
            // its node process was declared gone: nothing of it applies; the connection is told and closed
            deliveries.deliver(session, seq, Outcome.unavailable());
            return;
        }
        LockOwner owner = sessions.computeIfAbsent(session, s -> new LockOwner(nextOwnerId++));
        // The listener of a blocking call is state (the manager branches on its presence), so every
        // replica installs one; each replica then routes the outcome to wherever the session lives.
        WaitListener listener = routeTo(session, seq, owner);
        Outcome now = refs.resume(session, locks, owner, op.request(), listener);
        if (now == null) {
            now = parties.resume(session, owner, op.request(), listener);
        }
        if (now == null) {
            now = LockRequests.execute(locks, owner, op.request(), listener);
        }
        if (now.kind() == Outcome.Kind.PENDING) {
            blockingSeq.put(session, seq);
        } else {
            deliveries.deliver(session, seq, now);
        }
    }

    private WaitListener routeTo(SessionKey session, long seq, LockOwner owner) {
        return later -> {
            blockingSeq.remove(session);
            LockOwner current = sessions.getOrDefault(session, owner); // the call may have moved owners (StableRefs)
            if (refs.hasRef(session)) {
                parties.keep(session, current, later, seq != UNANSWERED && !refs.isOrphan(session));
            }
            locks.waitFinished(current);
            if (seq != UNANSWERED) {
                deliveries.deliver(session, seq, later);
            }
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
        processes.write(out);
        LockStateCodec.write(locks, out);
        DataStateCodec.write(locks.data(), out);
        refs.write(out);
        parties.write(out);
    }

    /** A replica in the state {@link #writeSnapshot} wrote. */
    static ReplicatedLocks readSnapshot(LockSettings settings, LockEvents events, long orphanTtlNanos, DataInput in)
            throws IOException {
        int format = in.readInt();
        if (format != SNAPSHOT_FORMAT) {
            throw new IOException("unknown snapshot format " + format + ": this server reads format " + SNAPSHOT_FORMAT
                    + (format == 4 ? " (a version that dropped an orphan's barrier party wrote it)"
                    : format == 3 ? " (a version before counters, key-value entries and lists wrote it)"
                    : format < 3 ? " (a version before read-write locks wrote it)" : ""));
        }
        ReplicatedLocks r = new ReplicatedLocks(settings, events, orphanTtlNanos);
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
        r.processes.read(in);
        LongFunction<LockOwner> ownerOf = id -> owners.computeIfAbsent(id, LockOwner::new);
        Function<LockOwner, WaitListener> listeners = owner -> {
            SessionKey s = sessionOf.get(owner.id());
            return r.routeTo(s, r.blockingSeq.get(s), owner);
        };
        LockStateCodec.read(r.locks, in, ownerOf, listeners);
        DataStateCodec.read(r.locks.data(), in, ownerOf, listeners);
        r.refs.read(in);
        r.parties.read(in);
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

    /** The running process of {@code node} as the state knows it; 0 when unknown or gone. Any thread. */
    long runningIncarnation(String node) {
        return processes.running(node);
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
