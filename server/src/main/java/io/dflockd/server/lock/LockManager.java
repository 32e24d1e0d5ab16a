package io.dflockd.server.lock;

import io.dflockd.server.data.DataStore;
import io.dflockd.server.fence.FenceAllocator;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The lock, semaphore and read-write lock state machine (PROTOCOL.md §7). A lock is a semaphore of
 * limit 1; one key is one resource whatever the command family, and a read-write lock key (limit 0,
 * §7.11) answers {@link Outcome.Kind#TYPE_MISMATCH} to the lock and semaphore commands and the other
 * way round. Each operation locks only the resource it touches; the
 * key map ({@link ResourceTable}) is concurrent, so there is no global lock. Time comes from an injected
 * {@link Clock} and {@link Scheduler}: every lease and wait deadline has its own timer ({@link Slots}),
 * which is what makes expiry precise (and testable exactly with a manual clock).
 *
 * <p>Grants that result from an operation on one connection but belong to another (hand-off) are
 * delivered to that connection's {@link WaitListener} after the resource lock is released.
 *
 * <p>This class is the entry point; the work is done by {@link Acquisition} (asking for a slot),
 * {@link Leases} (release, renew, keep by token), {@link Departure} (a connection leaving) and
 * {@link Slots} (holders, timers and the hand-off to the queue, which the others share), over one
 * {@link LockContext}.
 */
public final class LockManager {
    private static final long NANOS = 1_000_000_000L;

    private final LockContext ctx;
    private final Slots slots;
    private final Acquisition acquisition;
    private final Leases leases;
    private final Departure departure;

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
        this.ctx = new LockContext(settings, clock, scheduler, fences, events, salts);
        this.slots = new Slots(ctx);
        this.acquisition = new Acquisition(ctx, slots);
        this.leases = new Leases(ctx, slots);
        this.departure = new Departure(ctx, slots);
    }

    /** The counters, entries and lists, on this manager's settings, clock, scheduler and events. */
    public DataStore data() {
        return ctx.data;
    }

    /** Single-phase acquire ({@code l}, {@code sl}). {@code leaseSeconds} 0 means the server default. */
    public Outcome acquire(LockOwner owner, String key, int limit, long timeoutSeconds, long leaseSeconds,
            WaitListener listener) {
        return acquisition.admit(owner, key, limit, false, ctx.effectiveLease(leaseSeconds), false, false,
                timeoutSeconds, listener);
    }

    /**
     * {@code elect} (PROTOCOL.md §6.15): a single-phase acquire of the lock {@code key} whose grant is
     * told to watchers as {@code elect} rather than {@code acquire}.
     */
    public Outcome elect(LockOwner owner, String key, long timeoutSeconds, long leaseSeconds, WaitListener listener) {
        return acquisition.admit(owner, key, 1, false, ctx.effectiveLease(leaseSeconds), false, true, timeoutSeconds,
                listener);
    }

    /** Single-phase acquire of a read-write lock: {@code rl}, or {@code wl} when {@code writer}. */
    public Outcome acquireReadWrite(LockOwner owner, String key, boolean writer, long timeoutSeconds,
            long leaseSeconds, WaitListener listener) {
        return acquisition.admit(owner, key, Resource.READ_WRITE, writer, ctx.effectiveLease(leaseSeconds), false,
                false, timeoutSeconds, listener);
    }

    /**
     * Release ({@code r}, {@code sr}, {@code rr}, {@code wr}): any connection holding the token may free
     * its slot, whatever the command family and side (PROTOCOL.md §6.14).
     */
    public Outcome release(String key, String token) {
        return leases.release(key, token, false);
    }

    /** {@code resign} (§6.15): a release by token that watchers are told of as {@code resign}. */
    public Outcome resign(String key, String token) {
        return leases.release(key, token, true);
    }

    /** Renew ({@code n}, {@code sn}): lease becomes now + ttl (the server default when omitted). */
    public Outcome renew(String key, String token, long leaseSeconds) {
        return leases.extend(key, token, leaseSeconds, false);
    }

    /**
     * Keep ({@code k}, {@code sk}, our extension): like a renewal to {@code leaseSeconds}, and the
     * grant leaves its connection's care: closing that connection no longer releases it, so it ends
     * when its lease does (or by {@code r}/{@code n} with its token). This is how a holder hands a
     * lock over to time alone, e.g. ShedLock's "lock at least for".
     */
    public Outcome keep(String key, String token, long leaseSeconds) {
        return leases.extend(key, token, leaseSeconds, true);
    }

    /** Two-phase step 1 ({@code e}, {@code se}): never blocks. */
    public Outcome enqueue(LockOwner owner, String key, int limit, long leaseSeconds) {
        return acquisition.enqueue(owner, key, limit, false, leaseSeconds);
    }

    /** Two-phase step 1 of a read-write lock: {@code re}, or {@code we} when {@code writer}. */
    public Outcome enqueueReadWrite(LockOwner owner, String key, boolean writer, long leaseSeconds) {
        return acquisition.enqueue(owner, key, Resource.READ_WRITE, writer, leaseSeconds);
    }

    /** Two-phase step 2 ({@code w}, {@code sw}) on the connection that enqueued. */
    public Outcome await(LockOwner owner, String key, long timeoutSeconds, WaitListener listener) {
        return acquisition.await(owner, key, timeoutSeconds, listener);
    }

    /**
     * Cancels the owner's blocking wait, if one is still queued (graceful shutdown): a lock wait or a
     * data store's blocking call. The listener is not called; the caller answers the request itself.
     *
     * @return true when a queued wait was cancelled
     */
    public boolean cancelWait(LockOwner owner) {
        return acquisition.cancelWait(owner);
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
        departure.disconnect(owner);
    }

    /**
     * Cluster mode: the owner's node died (it restarted with a new incarnation). Its waiters and
     * two-phase records go, as on any disconnect, but its held slots stay until their leases end:
     * the client may have reached another node and keep renewing them by token. A lock held through
     * a dead node stays held until its lease ends (CLUSTER-DESIGN.md §3.4).
     */
    public void abandon(LockOwner owner) {
        departure.abandon(owner);
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
        Resource r = ctx.table.get(key);
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
        return ctx.table.collectIdle(ctx.now(), toNanos(ctx.settings.gcMaxIdleSeconds())) + ctx.data.collectIdle();
    }

    /** A consistent-per-key snapshot for {@code stats}. */
    public List<ResourceSnapshot> snapshot() {
        return ctx.table.snapshot(ctx.now());
    }

    /** Number of resources that currently exist (what {@code --max-locks} caps). */
    public int resourceCount() {
        return ctx.table.size();
    }

    /** {@code seconds} in nanoseconds, saturated at {@link Long#MAX_VALUE}. */
    public static long toNanos(long seconds) {
        return seconds > Long.MAX_VALUE / NANOS ? Long.MAX_VALUE : seconds * NANOS;
    }

    /** The shared table, clock and settings, for {@link LockStateCodec} and {@link SlotAdoption}. */
    LockContext context() {
        return ctx;
    }

    /** The lease and queue primitives, for {@link LockStateCodec} and {@link SlotAdoption}. */
    Slots slots() {
        return slots;
    }
}
