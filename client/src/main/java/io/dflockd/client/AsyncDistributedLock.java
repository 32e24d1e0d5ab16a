package io.dflockd.client;

import java.time.Duration;
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
public final class AsyncDistributedLock extends AsyncDistributedPrimitive {
    AsyncDistributedLock(LeaseCore core) {
        super(core);
    }

    /** Acquires with the configured timeout; completes with this lock, or with {@link AcquireTimeoutException}. */
    @Override
    public CompletableFuture<AsyncDistributedLock> acquireOrThrow() {
        return acquireOrFail(this);
    }
}
