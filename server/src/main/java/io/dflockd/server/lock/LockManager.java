package io.dflockd.server.lock;

import io.dflockd.protocol.LeaderFrame;
import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.data.DataStore;
import io.dflockd.server.fence.FenceAllocator;
import io.dflockd.server.fence.FenceException;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The lock, semaphore and read-write lock state machine (PROTOCOL.md §7). A lock is a semaphore of
 * limit 1; one key is one resource whatever the command family, and a read-write lock key (limit 0,
 * §7.11) answers {@link Outcome.Kind#TYPE_MISMATCH} to the lock and semaphore commands and the other
 * way round. Each operation locks only the resource it touches; the
 * key map ({@link ResourceTable}) is concurrent, so there is no global lock. Time comes from an injected
 * {@link Clock} and {@link Scheduler}: every lease and wait deadline has its own timer, which is what
 * makes expiry precise (and testable exactly with a manual clock).
 *
 * <p>Grants that result from an operation on one connection but belong to another (hand-off) are
 * delivered to that connection's {@link WaitListener} after the resource lock is released.
 */
public final class LockManager {
    private static final Logger LOG = System.getLogger(LockManager.class.getName());
    private static final long NANOS = 1_000_000_000L;
    /** The limit of a read-write lock key: it has none (many readers or one writer). */
    static final int READ_WRITE = 0;

    private final ResourceTable resources;
    private final LockSettings settings;
    private final Clock clock;
    private final Scheduler scheduler;
    private final FenceAllocator fences;
    private final LockEvents events;
    private final LongSupplier salts;
    private final DataStore data;

    public LockManager(LockSettings settings, Clock clock, Scheduler scheduler, FenceAllocator fences) {
        this(settings, clock, scheduler, fences, LockEvents.NONE);
    }

    /** @param events told of grants, releases, expiries and timeouts ({@link LockEvents#NONE}: nobody) */
    public LockManager(LockSettings settings, Clock clock, Scheduler scheduler, FenceAllocator fences,
            LockEvents events) {
        this(settings, clock, scheduler, fences, events, TokenMinter::salt);
    }

    /**
     * @param salts the 64-bit token salts, one per grant: the CSPRNG standalone; in cluster mode a
     *              sequence derived from the log entry, so that every replica mints the same tokens
     */
    public LockManager(LockSettings settings, Clock clock, Scheduler scheduler, FenceAllocator fences,
            LockEvents events, LongSupplier salts) {
        this.salts = salts;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.fences = fences;
        this.resources = new ResourceTable(settings.maxLocks(), clock);
        this.data = new DataStore(settings, clock, scheduler, events);
    }

    /** The counters, entries and lists, on this manager's settings, clock, scheduler and events. */
    public DataStore data() {
        return data;
    }

    /** Single-phase acquire ({@code l}, {@code sl}). {@code leaseSeconds} 0 means the server default. */
    public Outcome acquire(LockOwner owner, String key, int limit, long timeoutSeconds, long leaseSeconds,
            WaitListener listener) {
        return admit(owner, key, limit, false, effectiveLease(leaseSeconds), false, false, timeoutSeconds, listener);
    }

    /**
     * {@code elect} (PROTOCOL.md §6.15): a single-phase acquire of the lock {@code key} whose grant is
     * told to watchers as {@code elect} rather than {@code acquire}.
     */
    public Outcome elect(LockOwner owner, String key, long timeoutSeconds, long leaseSeconds, WaitListener listener) {
        return admit(owner, key, 1, false, effectiveLease(leaseSeconds), false, true, timeoutSeconds, listener);
    }

    /** Single-phase acquire of a read-write lock: {@code rl}, or {@code wl} when {@code writer}. */
    public Outcome acquireReadWrite(LockOwner owner, String key, boolean writer, long timeoutSeconds,
            long leaseSeconds, WaitListener listener) {
        return admit(owner, key, READ_WRITE, writer, effectiveLease(leaseSeconds), false, false, timeoutSeconds,
                listener);
    }

    /**
     * Release ({@code r}, {@code sr}, {@code rr}, {@code wr}): any connection holding the token may free
     * its slot, whatever the command family and side (PROTOCOL.md §6.14).
     */
    public Outcome release(String key, String token) {
        return release(key, token, false);
    }

    /** {@code resign} (§6.15): a release by token that watchers are told of as {@code resign}. */
    public Outcome resign(String key, String token) {
        return release(key, token, true);
    }

    private Outcome release(String key, String token, boolean resign) {
        Resource r = resources.get(key);
        if (r == null) {
            return Outcome.ERROR;
        }
        Grants grants = new Grants();
        Outcome out;
        synchronized (r) {
            Holder h = r.holders.get(token);
            if (h == null) {
                return Outcome.ERROR;
            }
            long now = clock.nanoTime();
            r.lastActivity = now;
            if (h.deadline - now <= 0) {
                removeHolder(h, Holder.State.EXPIRED, now, grants);
                out = Outcome.ERROR;
            } else {
                removeHolder(h, Holder.State.RELEASED, true, resign, now, grants);
                out = Outcome.RELEASED;
            }
        }
        grants.deliver();
        return out;
    }

    /** Renew ({@code n}, {@code sn}): lease becomes now + ttl (the server default when omitted). */
    public Outcome renew(String key, String token, long leaseSeconds) {
        return extend(key, token, leaseSeconds, false);
    }

    /**
     * Keep ({@code k}, {@code sk}, our extension): like a renewal to {@code leaseSeconds}, and the
     * grant leaves its connection's care: closing that connection no longer releases it, so it ends
     * when its lease does (or by {@code r}/{@code n} with its token). This is how a holder hands a
     * lock over to time alone, e.g. ShedLock's "lock at least for".
     */
    public Outcome keep(String key, String token, long leaseSeconds) {
        return extend(key, token, leaseSeconds, true);
    }

    private Outcome extend(String key, String token, long leaseSeconds, boolean detach) {
        Resource r = resources.get(key);
        if (r == null) {
            return Outcome.ERROR;
        }
        long lease = effectiveLease(leaseSeconds);
        Grants grants = new Grants();
        Outcome out;
        synchronized (r) {
            Holder h = r.holders.get(token);
            if (h == null) {
                return Outcome.ERROR;
            }
            long now = clock.nanoTime();
            r.lastActivity = now;
            if (h.deadline - now <= 0) {
                removeHolder(h, Holder.State.EXPIRED, now, grants);
                out = Outcome.ERROR;
            } else {
                resetLease(h, lease, now);
                if (detach) {
                    h.owner.held.remove(h);
                }
                out = Outcome.renewed(lease);
            }
        }
        grants.deliver();
        return out;
    }

    /** Two-phase step 1 ({@code e}, {@code se}): never blocks. */
    public Outcome enqueue(LockOwner owner, String key, int limit, long leaseSeconds) {
        return enqueue(owner, key, limit, false, leaseSeconds);
    }

    /** Two-phase step 1 of a read-write lock: {@code re}, or {@code we} when {@code writer}. */
    public Outcome enqueueReadWrite(LockOwner owner, String key, boolean writer, long leaseSeconds) {
        return enqueue(owner, key, READ_WRITE, writer, leaseSeconds);
    }

    private Outcome enqueue(LockOwner owner, String key, int limit, boolean writer, long leaseSeconds) {
        Waiter existing = owner.records.get(key);
        if (existing != null) {
            Grants grants = new Grants();
            synchronized (existing.resource) {
                Holder h = existing.holder;
                long now = clock.nanoTime();
                if (h != null && h.isLive() && h.deadline - now <= 0) {
                    removeHolder(h, Holder.State.EXPIRED, now, grants);
                }
            }
            grants.deliver();
            if (owner.records.get(key) != null) {
                return Outcome.ALREADY_ENQUEUED;
            }
        }
        return admit(owner, key, limit, writer, effectiveLease(leaseSeconds), true, false, 0, null);
    }

    /**
     * Grants a free slot at once, or queues the owner: a single-phase waiter blocks with a timer
     * ({@code timeoutSeconds} 0 is a try-lock), a two-phase one becomes a record that {@code w}
     * collects later.
     *
     * @param limit  the semaphore limit, or {@link #READ_WRITE} for a read-write lock
     * @param writer a read-write lock's writer
     * @param elect  an {@code elect}: its grant is an {@code elect} event for watchers
     */
    private Outcome admit(LockOwner owner, String key, int limit, boolean writer, long lease, boolean twoPhase,
            boolean elect, long timeoutSeconds, WaitListener listener) {
        while (true) {
            Resource r = resources.getOrCreate(key, limit, limit == READ_WRITE);
            if (r == null) {
                return Outcome.MAX_LOCKS;
            }
            Grants grants = new Grants();
            Outcome out;
            synchronized (r) {
                if (r.removed) {
                    continue; // collected after the look-up: look again
                }
                if (r.readWrite != (limit == READ_WRITE)) {
                    return Outcome.TYPE_MISMATCH;
                }
                if (r.limit != limit) {
                    return Outcome.LIMIT_MISMATCH;
                }
                long now = clock.nanoTime();
                r.lastActivity = now;
                evictExpired(r, now, grants);
                if (r.queued == 0 && r.admits(writer)) {
                    out = grantNow(r, owner, writer, lease, now, twoPhase, elect, grants);
                } else if (!twoPhase && timeoutSeconds == 0) {
                    events.timedOut(limit);
                    out = Outcome.TIMEOUT;
                } else if (settings.maxWaiters() > 0 && r.queued >= settings.maxWaiters()) {
                    out = Outcome.MAX_WAITERS;
                } else {
                    Waiter w = new Waiter(r, owner, lease, twoPhase, writer, now);
                    w.elect = elect;
                    r.append(w);
                    if (twoPhase) {
                        owner.records.put(key, w);
                        out = Outcome.QUEUED;
                    } else {
                        w.listener = listener;
                        armWaitTimeout(w, toNanos(timeoutSeconds), now);
                        owner.blocking = w;
                        out = Outcome.PENDING;
                    }
                }
            }
            grants.deliver();
            return out;
        }
    }

    /** Two-phase step 2 ({@code w}, {@code sw}) on the connection that enqueued. */
    public Outcome await(LockOwner owner, String key, long timeoutSeconds, WaitListener listener) {
        Waiter w = owner.records.get(key);
        if (w == null) {
            return Outcome.NOT_ENQUEUED;
        }
        Resource r = w.resource;
        Grants grants = new Grants();
        Outcome out;
        synchronized (r) {
            long now = clock.nanoTime();
            r.lastActivity = now;
            switch (w.state) {
                case GRANTED: {
                    Holder h = w.holder;
                    owner.records.remove(key, w);
                    h.record = null;
                    if (!h.isLive()) {
                        out = Outcome.NOT_ENQUEUED;
                    } else if (h.deadline - now <= 0) {
                        removeHolder(h, Holder.State.EXPIRED, now, grants);
                        out = Outcome.LEASE_EXPIRED;
                    } else {
                        resetLease(h, w.leaseSeconds, now);
                        out = Outcome.granted(h);
                    }
                    break;
                }
                case QUEUED:
                    if (timeoutSeconds == 0) {
                        cancelQueued(w, now, grants);
                        events.timedOut(r.limit);
                        out = Outcome.TIMEOUT;
                    } else {
                        w.listener = listener;
                        armWaitTimeout(w, toNanos(timeoutSeconds), now);
                        owner.blocking = w;
                        out = Outcome.PENDING;
                    }
                    break;
                default:
                    owner.records.remove(key, w);
                    out = Outcome.NOT_ENQUEUED;
            }
        }
        grants.deliver();
        return out;
    }

    /**
     * Cancels the owner's blocking wait, if one is still queued (graceful shutdown): a lock wait or a
     * data store's blocking call. The listener is not called; the caller answers the request itself.
     *
     * @return true when a queued wait was cancelled
     */
    public boolean cancelWait(LockOwner owner) {
        Waiter w = owner.blocking;
        if (w == null) {
            return data.withdrawBlockedCall(owner);
        }
        Grants grants = new Grants();
        boolean cancelled = false;
        synchronized (w.resource) {
            if (w.state == Waiter.State.QUEUED) {
                cancelQueued(w, clock.nanoTime(), grants);
                cancelled = true;
            }
        }
        grants.deliver();
        return cancelled;
    }

    /** Clears the owner's reference to a finished blocking wait. Call on the owner's thread. */
    public void waitFinished(LockOwner owner) {
        owner.blocking = null;
        owner.blockedCall(null);
    }

    /**
     * Disconnect cleanup (PROTOCOL.md §7.8): waiters and two-phase records always go; held slots are
     * freed only with auto-release on.
     */
    public void disconnect(LockOwner owner) {
        disconnect(owner, settings.autoReleaseOnDisconnect());
    }

    /**
     * Cluster mode: the owner's node died (it restarted with a new incarnation). Its waiters and
     * two-phase records go, as on any disconnect, but its held slots stay until their leases end:
     * the client may have reached another node and keep renewing them by token. A lock held through
     * a dead node stays held until its lease ends (CLUSTER-DESIGN.md §3.4).
     */
    public void abandon(LockOwner owner) {
        disconnect(owner, false);
        owner.held.clear(); // the slots now belong to their tokens alone, as after keep (k)
    }

    private void disconnect(LockOwner owner, boolean releaseHeld) {
        owner.closed = true;
        data.withdrawBlockedCall(owner);
        Grants grants = new Grants();
        Waiter blocking = owner.blocking;
        if (blocking != null) {
            dropWaiter(blocking, grants);
            owner.blocking = null;
        }
        for (Waiter w : inKeyOrder(owner.records.values())) {
            dropWaiter(w, grants);
        }
        owner.records.clear();
        if (releaseHeld) {
            for (Holder h : inFenceOrder(owner.held)) {
                synchronized (h.resource) {
                    if (h.isLive()) {
                        long now = clock.nanoTime();
                        h.resource.lastActivity = now;
                        removeHolder(h, Holder.State.RELEASED, now, grants);
                    }
                }
            }
        }
        grants.deliver();
    }

    /*
     * Disconnect cleanup hands freed slots to waiters and so decides which waiter gets which fence:
     * it goes through the owner's records and holdings in an order that is a function of the lock
     * state (key, fence), not of hash-set history, so that replicas (cluster mode) agree.
     */
    private static Collection<Waiter> inKeyOrder(Collection<Waiter> records) {
        if (records.size() < 2) {
            return records;
        }
        List<Waiter> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(w -> w.resource.key));
        return sorted;
    }

    private static Collection<Holder> inFenceOrder(Collection<Holder> held) {
        if (held.size() < 2) {
            return held;
        }
        List<Holder> sorted = new ArrayList<>(held);
        sorted.sort(Comparator.comparingLong(h -> h.fence));
        return sorted;
    }

    private void dropWaiter(Waiter w, Grants grants) {
        synchronized (w.resource) {
            if (w.state == Waiter.State.QUEUED) {
                cancelQueued(w, clock.nanoTime(), grants);
            }
            if (w.holder != null) {
                w.holder.record = null;
            }
        }
    }

    /**
     * Runs {@code action} under the resource monitor of {@code key} if the key is a lock (limit 1)
     * that has a holder, i.e. a leader (PROTOCOL.md §9.13): the state cannot change while it runs, so
     * an observer told there "a leader exists" is told before any later change of the key. The action
     * must not block or call back into the manager.
     *
     * @return whether the key has a leader (and {@code action} ran)
     */
    public boolean whileLeaderHeld(String key, Runnable action) {
        Resource r = resources.get(key);
        if (r == null) {
            return false;
        }
        synchronized (r) {
            if (r.removed || r.limit != 1 || r.holders.isEmpty()) {
                return false;
            }
            action.run();
            return true;
        }
    }

    /** Removes resources idle longer than {@code gcMaxIdleSeconds} and {@link DataStore#collectIdle}'s keys; returns how many. */
    public int collectIdle() {
        return resources.collectIdle(clock.nanoTime(), toNanos(settings.gcMaxIdleSeconds())) + data.collectIdle();
    }

    /** A consistent-per-key snapshot for {@code stats}. */
    public List<ResourceSnapshot> snapshot() {
        return resources.snapshot(clock.nanoTime());
    }

    /** Number of resources that currently exist (what {@code --max-locks} caps). */
    public int resourceCount() {
        return resources.size();
    }

    // ---- internals; callers hold the resource monitor unless stated otherwise ----

    long effectiveLease(long leaseSeconds) {
        return leaseSeconds > 0 ? leaseSeconds : settings.defaultLeaseSeconds();
    }

    /** {@code seconds} in nanoseconds, saturated at {@link Long#MAX_VALUE}. */
    public static long toNanos(long seconds) {
        return seconds > Long.MAX_VALUE / NANOS ? Long.MAX_VALUE : seconds * NANOS;
    }

    private Outcome grantNow(Resource r, LockOwner owner, boolean writer, long lease, long now, boolean twoPhase,
            boolean elect, Grants grants) {
        Holder h;
        try {
            h = newHolder(r, owner, writer, lease, now);
        } catch (FenceException e) {
            LOG.log(Level.ERROR, "cannot allocate a fence: " + e.getMessage());
            return Outcome.ERROR;
        }
        events.granted(r.limit, 0);
        leaderChanged(r, LeaderFrame.Event.ELECTED, grants); // a free key, nobody queued
        keyChanged(r, elect ? WatchFrame.Event.ELECT : WatchFrame.Event.ACQUIRE, grants);
        if (twoPhase) {
            Waiter record = new Waiter(r, owner, lease, true, writer, now);
            record.state = Waiter.State.GRANTED;
            record.holder = h;
            h.record = record;
            owner.records.put(r.key, record);
            return Outcome.acquired(h);
        }
        return Outcome.granted(h);
    }

    private Holder newHolder(Resource r, LockOwner owner, boolean writer, long lease, long now) throws FenceException {
        long fence = fences.next();
        String token = TokenMinter.mint(fence, salts.getAsLong());
        Holder h = new Holder(r, owner, token, fence, writer, lease, now + toNanos(lease));
        r.holders.put(h.token, h);
        owner.held.add(h);
        h.expiryTimer = scheduler.schedule(() -> onLeaseTimer(h), toNanos(lease), Scheduler.LEASE, fence);
        return h;
    }

    /** The lease becomes {@code lease} seconds from {@code now} (renew, keep, w after an e grant). */
    void resetLease(Holder h, long lease, long now) {
        long previous = h.deadline;
        h.leaseSeconds = lease;
        h.deadline = now + toNanos(lease);
        if (h.deadline - previous < 0) {
            // a shorter lease than before: the armed timer would fire too late, so re-arm it
            h.expiryTimer.cancel();
            h.expiryTimer = scheduler.schedule(() -> onLeaseTimer(h), toNanos(lease), Scheduler.LEASE, h.fence);
        }
        // A longer one keeps the timer: when it fires early it re-arms for the new deadline.
    }

    private void removeHolder(Holder h, Holder.State why, long now, Grants grants) {
        removeHolder(h, why, false, false, now, grants);
    }

    /**
     * Takes a slot back and grants what it frees.
     *
     * @param byToken a release with the holder's token ({@code r}, {@code resign}): the leader resigned
     *                (PROTOCOL.md §9.13); otherwise a lease end or a disconnect, after which a lock
     *                with nobody queued has lost its leader
     * @param resign  the release was a {@code resign}: watchers hear {@code resign}, not {@code release}
     */
    private void removeHolder(Holder h, Holder.State why, boolean byToken, boolean resign, long now,
            Grants grants) {
        Resource r = h.resource;
        r.holders.remove(h.token);
        h.state = why;
        h.owner.held.remove(h);
        if (why != Holder.State.EXPIRED) {
            h.expiryTimer.cancel();
            events.released(r.limit);
        } else {
            events.expired(r.limit);
        }
        if (h.record != null) {
            h.owner.records.remove(r.key, h.record);
            h.record = null;
        }
        keyChanged(r, resign ? WatchFrame.Event.RESIGN : WatchFrame.Event.RELEASE, grants);
        if (byToken) {
            leaderChanged(r, LeaderFrame.Event.RESIGNED, grants);
        }
        grantWaiters(r, now, grants); // a FAILOVER when it grants a lock
        if (!byToken && r.holders.isEmpty()) {
            leaderChanged(r, LeaderFrame.Event.LOST, grants);
        }
    }

    /** Tells the leader observers of a lock (limit 1) what just happened to it, if anyone observes it. */
    private void leaderChanged(Resource r, LeaderFrame.Event event, Grants grants) {
        if (r.limit == 1 && events.watchesLeader(r.key)) {
            grants.after(events.leaderChanged(r.key, event));
        }
    }

    /** Tells the watchers of {@code r}'s key of a change (§9.14); allocates nothing when nobody watches. */
    private void keyChanged(Resource r, WatchFrame.Event event, Grants grants) {
        if (events.watchesKey(r.key)) {
            grants.after(events.keyChanged(r.key, event));
        }
    }

    private void evictExpired(Resource r, long now, Grants grants) {
        if (r.holders.isEmpty()) {
            return;
        }
        List<Holder> expired = null;
        for (Holder h : r.holders.values()) {
            if (h.deadline - now <= 0) {
                if (expired == null) {
                    expired = new ArrayList<>(2);
                }
                expired.add(h);
            }
        }
        if (expired != null) {
            for (Holder h : expired) {
                removeHolder(h, Holder.State.EXPIRED, now, grants);
            }
        }
    }

    /**
     * Pops waiters in FIFO order while the head can be granted (PROTOCOL.md §7.3): while slots are
     * free; on a read-write lock, while the head is compatible with the holders, stopping at the first
     * head that is not (§7.11), so a queued writer holds back the readers behind it.
     */
    private void grantWaiters(Resource r, long now, Grants grants) {
        while (true) {
            Waiter w = r.head();
            if (w == null || !r.admits(w.writer)) {
                return;
            }
            r.unlink(w);
            w.timeout.cancel();
            if (w.owner.closed) {
                w.state = Waiter.State.CANCELLED;
                continue;
            }
            Holder h;
            try {
                h = newHolder(r, w.owner, w.writer, w.leaseSeconds, now);
            } catch (FenceException e) {
                LOG.log(Level.ERROR, "cannot allocate a fence: " + e.getMessage());
                w.state = Waiter.State.CANCELLED;
                w.owner.records.remove(r.key, w);
                grants.add(w, Outcome.ERROR);
                continue;
            }
            w.state = Waiter.State.GRANTED;
            w.holder = h;
            r.lastActivity = now;
            events.granted(r.limit, now - w.since);
            leaderChanged(r, LeaderFrame.Event.FAILOVER, grants);
            keyChanged(r, w.elect ? WatchFrame.Event.ELECT : WatchFrame.Event.ACQUIRE, grants);
            if (w.twoPhase) {
                h.record = w;
                if (w.listener != null) {
                    // A w is blocked on this record: it collects the grant now.
                    w.owner.records.remove(r.key, w);
                    h.record = null;
                }
            }
            grants.add(w, Outcome.granted(h));
        }
    }

    void cancelQueued(Waiter w, long now, Grants grants) {
        Resource r = w.resource;
        r.unlink(w);
        w.state = Waiter.State.CANCELLED;
        w.timeout.cancel();
        if (w.twoPhase) {
            w.owner.records.remove(r.key, w);
        }
        grantWaiters(r, now, grants);
    }

    /** Arms a blocking call's timeout {@code delayNanos} after {@code now} (also used to restore a snapshot). */
    void armWaitTimeout(Waiter w, long delayNanos, long now) {
        w.timeoutAt = now + delayNanos;
        w.timeout = scheduler.schedule(() -> onWaitTimeout(w), delayNanos, Scheduler.WAIT_TIMEOUT, w.owner.id());
    }

    /** Arms a holder's lease timer for its deadline, read at {@code now} (also used to restore a snapshot). */
    void armLeaseTimer(Holder h, long now) {
        h.expiryTimer = scheduler.schedule(() -> onLeaseTimer(h), Math.max(0, h.deadline - now), Scheduler.LEASE,
                h.fence);
    }

    /** The resource table, for {@link LockStateCodec}. */
    ResourceTable table() {
        return resources;
    }

    /** The manager's clock, for {@link LockStateCodec}. */
    long now() {
        return clock.nanoTime();
    }

    private void onWaitTimeout(Waiter w) {
        Grants grants = new Grants();
        synchronized (w.resource) {
            if (w.state != Waiter.State.QUEUED) {
                return;
            }
            long now = clock.nanoTime();
            w.resource.lastActivity = now;
            cancelQueued(w, now, grants);
            events.timedOut(w.resource.limit);
            grants.add(w, Outcome.TIMEOUT);
        }
        grants.deliver();
    }

    private void onLeaseTimer(Holder h) {
        Resource r = h.resource;
        Grants grants = new Grants();
        synchronized (r) {
            if (!h.isLive()) {
                return;
            }
            long now = clock.nanoTime();
            long left = h.deadline - now;
            if (left > 0) {
                h.expiryTimer = scheduler.schedule(() -> onLeaseTimer(h), left, Scheduler.LEASE, h.fence);
                return;
            }
            r.lastActivity = now;
            removeHolder(h, Holder.State.EXPIRED, now, grants);
        }
        grants.deliver();
    }
}
