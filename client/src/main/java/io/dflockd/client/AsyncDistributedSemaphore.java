package io.dflockd.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link CompletableFuture} form of {@link DistributedSemaphore}, built with
 * {@code DistributedSemaphore.builder(key, limit)…buildAsync()}. Same semantics, connection model, renewal and
 * leak detection; only the blocking calls return futures.
 *
 * <pre>{@code
 * AsyncDistributedSemaphore sem = DistributedSemaphore.builder("pool", 3).buildAsync();
 * sem.acquire().thenAccept(held -> { if (held) { … sem.release(); } });
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
public final class AsyncDistributedSemaphore extends AsyncDistributedPrimitive {
    AsyncDistributedSemaphore(LeaseCore core) {
        super(core);
    }

    /** The maximum number of concurrent holders. */
    public int limit() {
        return core.limit;
    }

    /** Acquires with the configured timeout; completes with this semaphore, or with {@link AcquireTimeoutException}. */
    @Override
    public CompletableFuture<AsyncDistributedSemaphore> acquireOrThrow() {
        return acquireOrFail(this);
    }
}
