package io.dflockd.client;

import java.lang.ref.Cleaner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link CompletableFuture} form of {@link DistributedLock}, built with
 * {@code DistributedLock.builder(key)…buildAsync()}. Same semantics, connection model, renewal and
 * leak detection; only the blocking calls return futures.
 *
 * <pre>{@code
 * AsyncDistributedLock lock = DistributedLock.builder("my-key").buildAsync();
 * lock.acquire().thenAccept(held -> { if (held) { … lock.release(); } });
 * }</pre>
 *
 * <p><b>Threads.</b> The blocking network call behind each pending future runs on a virtual thread
 * on Java 21+ (no platform thread is held per pending call); on Java 17-20 it runs on a shared pool
 * of daemon platform threads. Futures complete on that thread.
 *
 * <p><b>Cancellation.</b> Cancelling a pending {@link #acquire()}, {@link #enqueue()} or
 * {@link #await(Duration)} future closes the connection, which withdraws the request on the server
 * (a queued waiter is removed); if the grant raced with the cancellation it is released. After a
 * successful cancel nothing is held or queued.
 */
public final class AsyncDistributedLock implements AutoCloseable {
    private final LeaseCore core;
    private final Cleaner.Cleanable cleanable;

    AsyncDistributedLock(LeaseCore core) {
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
        return core.async(op -> core.acquire(timeout, op), this::undoIfHeld);
    }

    /** Acquires with the configured timeout; completes with this lock, or with {@link AcquireTimeoutException}. */
    public CompletableFuture<AsyncDistributedLock> acquireOrThrow() {
        return acquire().thenApply(held -> {
            if (!held) {
                throw new AcquireTimeoutException(core.server, "lock '" + core.key + "' not acquired within "
                        + core.acquireTimeout);
            }
            return this;
        });
    }

    /** Two-phase step 1; see {@link DistributedLock#enqueue()}. */
    public CompletableFuture<EnqueueResult> enqueue() {
        return core.async(core::enqueue, r -> core.release());
    }

    /** Two-phase step 2 with the configured timeout. */
    public CompletableFuture<Boolean> await() {
        return await(core.acquireTimeout);
    }

    /** Two-phase step 2; completes at once with true if held. See {@link DistributedLock#await(Duration)}. */
    public CompletableFuture<Boolean> await(Duration timeout) {
        Durations.timeoutSeconds(timeout, "timeout");
        if (core.isHeld()) {
            return CompletableFuture.completedFuture(true);
        }
        return core.async(op -> core.await(timeout, op), this::undoIfHeld);
    }

    /** Same as {@link #await(Duration)}. */
    public CompletableFuture<Boolean> waitFor(Duration timeout) {
        return await(timeout);
    }

    /** Releases (see {@link DistributedLock#release()}) on a worker thread. */
    public CompletableFuture<Void> release() {
        return core.async(op -> {
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

    /** The current token, or {@code null} if not held. */
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

    /** Whether the lock is held. */
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
        return "AsyncDistributedLock[" + core.key + " @ " + Addresses.format(core.server)
                + (core.isHeld() ? ", held" : "") + (core.isClosed() ? ", closed" : "") + "]";
    }
}
