package io.dflockd.client;

import java.lang.ref.Cleaner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;

/**
 * What {@link DistributedLock}, {@link DistributedSemaphore} and each side of a
 * {@link DistributedReadWriteLock} have in common: a leased hold on one key through one connection,
 * single-step or two-phase acquisition, background renewal, release. A lock is a semaphore of limit
 * 1, so "held" below means the lock, one semaphore slot, or one read or write grant.
 */
public abstract sealed class DistributedPrimitive implements AutoCloseable
        permits DistributedLock, DistributedSemaphore, DistributedReadWriteLock.Side {
    final LeaseCore core;
    private final Cleaner.Cleanable cleanable;
    private final LockView lockView;

    DistributedPrimitive(LeaseCore core) {
        this.core = core;
        this.cleanable = Shared.CLEANER.register(this, core::reclaim);
        this.lockView = new LockView(core, this);
    }

    /** The key. */
    public String key() {
        return core.key;
    }

    /** The server that owns the key (chosen by the sharding strategy). */
    public InetSocketAddress server() {
        return core.server;
    }

    /**
     * Acquires with the configured acquire timeout.
     *
     * @return true if acquired; false if the timeout elapsed (nothing is held or queued)
     * @throws IllegalStateException if this instance already holds or queues (it is not reentrant:
     *     use {@link #asLock()} for reentrancy); what it holds is kept
     * @throws DflockdException on any other failure (nothing is held)
     */
    public boolean acquire() {
        return core.acquire(core.acquireTimeout, null);
    }

    /**
     * Acquires, waiting up to {@code timeout} in the key's FIFO queue (whole seconds on the wire,
     * rounded up; zero = try once without queueing).
     *
     * @return true if acquired; false if the timeout elapsed (nothing is held or queued)
     */
    public boolean acquire(Duration timeout) {
        return core.acquire(timeout, null);
    }

    /**
     * Acquires with the configured timeout and returns this object, for try-with-resources.
     *
     * @throws AcquireTimeoutException if not granted in time
     */
    public abstract DistributedPrimitive acquireOrThrow();

    /** {@link #acquire()}, or {@link AcquireTimeoutException} naming the key and the timeout. */
    final void acquireOrFail() {
        if (!acquire()) {
            throw new AcquireTimeoutException(core.server, core.noun + " '" + core.key + "' not acquired within "
                    + core.acquireTimeout);
        }
    }

    /**
     * Two-phase step 1: takes the lock (a slot) if it is free and nobody queues
     * ({@link EnqueueResult#ACQUIRED}, renewal starts at once), else joins the queue
     * ({@link EnqueueResult#QUEUED}).
     */
    public EnqueueResult enqueue() {
        return core.enqueue(null);
    }

    /** Two-phase step 2 with the configured acquire timeout; see {@link #await(Duration)}. */
    public boolean await() {
        return core.await(core.acquireTimeout, null);
    }

    /**
     * Two-phase step 2: blocks until granted. Returns true at once, without I/O, if already held
     * (for example when {@link #enqueue()} returned ACQUIRED).
     *
     * @return true when held; false on timeout (the queue position is given up, connection closed)
     * @throws IllegalStateException if there is no pending {@link #enqueue()}
     */
    public boolean await(Duration timeout) {
        return core.await(timeout, null);
    }

    /** Same as {@link #await(Duration)}, named like the protocol's {@code wait}. */
    public boolean waitFor(Duration timeout) {
        return core.await(timeout, null);
    }

    /**
     * Releases: stops renewal (waiting for an in-flight renewal), sends the release best-effort and
     * closes the connection. Does nothing if not held; gives up a queue position if queued.
     */
    public void release() {
        core.release();
    }

    /**
     * Renews the lease now, asking for the configured lease, as the background renewal does:
     * {@link #leaseValidUntil()} moves to its send time plus the lease granted. The background
     * renewals go on as scheduled.
     *
     * @return the lease the server granted
     * @throws IllegalStateException if nothing is held or this instance is closed
     * @throws DflockdException if the renewal fails: the lease is then lost, reported as when a
     *     background renewal fails ({@link #leaseLost()}, the {@link LeaseLostListener})
     */
    public Duration renew() {
        return core.renew(-1);
    }

    /**
     * {@link #renew()} asking for {@code leaseTtl} (rounded up to whole seconds) this once; later
     * renewals ask for the configured lease again.
     */
    public Duration renew(Duration leaseTtl) {
        java.util.Objects.requireNonNull(leaseTtl, "leaseTtl");
        return core.renew(Durations.leaseSeconds(leaseTtl));
    }

    /**
     * Hands what this instance holds over to time: the server keeps it for {@code hold} from now
     * (rounded up to seconds), even after this instance's connection closes, and then lets it expire;
     * this instance no longer holds it. The token still releases or renews it early. Useful when a lock
     * must outlive the work it guards (ShedLock's "lock at least for"). A dflockd-for-Java extension
     * ({@code k}/{@code sk}, PROTOCOL.md §6.10).
     *
     * @throws IllegalStateException if nothing is held
     * @throws ServerErrorException if the server refuses (an upstream server lacks the extension); the
     *     lock is then still held
     */
    public void releaseAfter(Duration hold) {
        core.releaseAfter(Durations.leaseSeconds(java.util.Objects.requireNonNull(hold, "hold")));
    }

    /** Releases if held and closes for good; idempotent. */
    @Override
    public void close() {
        core.close();
        cleanable.clean();
    }

    /** The token of the current grant, or {@code null} if not held. */
    public String token() {
        return core.token();
    }

    /** The lease last reported by the server (grant or renewal), {@link Duration#ZERO} if not held. */
    public Duration lease() {
        return core.lease();
    }

    /**
     * The fencing token of the current grant, decoded from the token (servers v2.1+, unsigned: compare
     * with {@link Long#compareUnsigned}); empty if not held.
     */
    public OptionalLong fence() {
        return core.fence();
    }

    /**
     * Until when the hold is proven: the send time of the last successful acquire or renewal plus
     * the lease the server reported (the server started the lease no earlier, so this errs early).
     * After it the holder cannot prove it still holds, and {@link #isHeld()} turns false; if no
     * renewal succeeded by then, the lease is reported lost. Empty when nothing is held.
     */
    public Optional<Instant> leaseValidUntil() {
        return core.leaseValidUntil();
    }

    /**
     * Completes with the cause when the current grant's lease is lost (renewal refused or failed,
     * connection lost, deadline passed), at the same time as the {@link LeaseLostListener}; is
     * cancelled when the grant ends normally (release, close). When nothing is held: a cancelled
     * future. Each grant has its own.
     */
    public CompletableFuture<Throwable> leaseLost() {
        return core.leaseLost();
    }

    /** Whether the lock (a slot) is held: granted and not lost. */
    public boolean isHeld() {
        return core.isHeld();
    }

    /**
     * The {@link Lock} view of this instance, reentrant per thread with a hold count, waiting in FIFO
     * order without giving up its place; closing the view closes this instance. Always the same
     * object. See {@link LockView} for the exact semantics.
     */
    public LockView asLock() {
        return lockView;
    }

    @Override
    public String toString() {
        return Describe.of(getClass(), core);
    }
}
