package io.dflockd.client;

import java.lang.ref.Cleaner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link AsyncDistributedLock}, {@link AsyncDistributedSemaphore} and each side of an
 * {@link AsyncDistributedReadWriteLock} have in common: the {@link DistributedPrimitive} API with
 * futures for the calls that wait on the network.
 */
public abstract sealed class AsyncDistributedPrimitive implements AutoCloseable
        permits AsyncDistributedLock, AsyncDistributedSemaphore, AsyncDistributedReadWriteLock.Side {
    final LeaseCore core;
    private final Cleaner.Cleanable cleanable;

    AsyncDistributedPrimitive(LeaseCore core) {
        this.core = core;
        this.cleanable = Shared.CLEANER.register(this, core::reclaim);
    }

    /** The key. */
    public String key() {
        return core.key;
    }

    /** The server that owns the key. */
    public InetSocketAddress server() {
        return core.server;
    }

    /** Acquires with the configured timeout; completes with false on timeout. */
    public CompletableFuture<Boolean> acquire() {
        return acquire(core.acquireTimeout);
    }

    /** Acquires, waiting up to {@code timeout}; completes with false on timeout. */
    public CompletableFuture<Boolean> acquire(Duration timeout) {
        Durations.timeoutSeconds(timeout, "timeout");
        return Op.submit(op -> core.acquire(timeout, op), this::undoIfHeld);
    }

    /** Acquires with the configured timeout; completes with this object, or with {@link AcquireTimeoutException}. */
    public abstract CompletableFuture<? extends AsyncDistributedPrimitive> acquireOrThrow();

    /** {@link #acquire()} completing with {@code self}, or failing with {@link AcquireTimeoutException}. */
    final <T> CompletableFuture<T> acquireOrFail(T self) {
        return acquire().thenApply(held -> {
            if (!held) {
                throw new AcquireTimeoutException(core.server, core.noun + " '" + core.key + "' not acquired within "
                        + core.acquireTimeout);
            }
            return self;
        });
    }

    /** Two-phase step 1; see {@link DistributedPrimitive#enqueue()}. */
    public CompletableFuture<EnqueueResult> enqueue() {
        return Op.submit(core::enqueue, r -> core.release());
    }

    /** Two-phase step 2 with the configured timeout. */
    public CompletableFuture<Boolean> await() {
        return await(core.acquireTimeout);
    }

    /** Two-phase step 2; completes at once with true if held. See {@link DistributedPrimitive#await(Duration)}. */
    public CompletableFuture<Boolean> await(Duration timeout) {
        Durations.timeoutSeconds(timeout, "timeout");
        if (core.isHeld()) {
            return CompletableFuture.completedFuture(true);
        }
        return Op.submit(op -> core.await(timeout, op), this::undoIfHeld);
    }

    /** Same as {@link #await(Duration)}. */
    public CompletableFuture<Boolean> waitFor(Duration timeout) {
        return await(timeout);
    }

    /** Releases (see {@link DistributedPrimitive#release()}) on a worker thread. */
    public CompletableFuture<Void> release() {
        return Op.submit(op -> {
            core.release();
            return null;
        }, null);
    }

    /** Releases if held and closes for good; blocks briefly for the release round trip. Idempotent. */
    @Override
    public void close() {
        core.close();
        cleanable.clean();
    }

    /** The token of the current grant, or {@code null} if not held. */
    public String token() {
        return core.token();
    }

    /** The lease last reported by the server, {@link Duration#ZERO} if not held. */
    public Duration lease() {
        return core.lease();
    }

    /** The fencing token decoded from the current token; empty if not held. */
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

    /** Whether the lock (a slot) is held. */
    public boolean isHeld() {
        return core.isHeld();
    }

    private void undoIfHeld(Boolean held) {
        if (Boolean.TRUE.equals(held)) {
            core.release();
        }
    }

    @Override
    public String toString() {
        return Describe.of(getClass(), core);
    }
}
