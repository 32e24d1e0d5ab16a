package io.dflockd.client;

import io.dflockd.protocol.LockKind;
import java.time.Duration;

/**
 * A distributed FIFO semaphore: up to {@code limit} holders of one key at a time, each with its own
 * token and a lease that is renewed in the background. The API is that of {@link DistributedLock}
 * plus the limit. The first request for a key fixes its limit; requesting another limit fails with
 * {@link LimitMismatchException} (locks and semaphores share one namespace: a lock is a semaphore
 * of limit 1 driven by other commands).
 *
 * <p><b>try-with-resources</b> — {@link #acquireOrThrow()} acquires a slot and returns the semaphore, or throws
 * {@link AcquireTimeoutException}; closing releases it:
 * <pre>{@code
 * try (DistributedSemaphore sem = DistributedSemaphore.builder("my-key", 3).build().acquireOrThrow()) {
 *     // up to 3 holders at once; sem.token() …
 * }
 * }</pre>
 *
 * <p><b>Manual</b> — {@link #acquire()} returns {@code false} on timeout:
 * <pre>{@code
 * DistributedSemaphore sem = DistributedSemaphore.builder("my-key", 3).acquireTimeout(Duration.ofSeconds(5)).build();
 * try {
 *     if (sem.acquire()) {
 *         // critical section
 *         sem.release();
 *     }
 * } finally {
 *     sem.close();
 * }
 * }</pre>
 *
 * <p><b>Two-phase</b> — {@link #enqueue()} joins the queue without blocking, {@link #await(Duration)}
 * blocks for the grant (call it within the server read timeout, 23 s by default).
 *
 * <p><b>Connection model</b> (PROTOCOL.md §14.3): each instance owns one connection to the server
 * that {@link ClientConfig#serverFor(String) owns the key}, opened by {@code acquire}/{@code enqueue}
 * and closed by {@code release}, {@code close} and timeouts. While held, the lease is renewed every
 * {@code lease × renewRatio} (at most every 15 s, so the connection never idles into the server's
 * read timeout), and the connection is watched: if the server closes it or it fails, or a renewal is
 * refused, the slot is lost at once: the token is cleared, one line is logged and the
 * {@link LeaseLostListener} is called.
 *
 * <p>One instance holds at most one slot: {@code acquire}/{@code enqueue} while it holds or queues
 * throw {@link IllegalStateException} and keep what it has; use another instance for a second slot.
 * Instances are thread-safe; operations on one instance are serialised.
 * An instance that is garbage-collected while still connected closes its connection and logs a
 * warning (logger {@code io.dflockd.client}). After {@link #close()} the instance cannot be reused.
 */
public final class DistributedSemaphore extends DistributedPrimitive {
    private DistributedSemaphore(LeaseCore core) {
        super(core);
    }

    /**
     * A builder for a semaphore on {@code key} (non-empty, at most 256 UTF-8 bytes, no space, TAB, CR,
     * LF or NUL) with {@code limit} (≥ 1) concurrent holders.
     */
    public static Builder builder(String key, int limit) {
        return new Builder(key, limit);
    }


    /** The maximum number of concurrent holders. */
    public int limit() {
        return core.limit;
    }

    /**
     * Acquires with the configured timeout and returns this semaphore, for try-with-resources.
     *
     * @throws AcquireTimeoutException if not granted in time
     */
    @Override
    public DistributedSemaphore acquireOrThrow() {
        acquireOrFail();
        return this;
    }

    /** Builder of {@link DistributedSemaphore} and {@link AsyncDistributedSemaphore}; validates eagerly. */
    public static final class Builder extends LeaseBuilder<Builder> {
        private final int limit;

        private Builder(String key, int limit) {
            super(key);
            this.limit = Validate.limit(limit);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds a blocking semaphore; no connection is opened yet.
         *
         * @throws IllegalStateException if the sharding strategy maps the key outside the server list
         */
        public DistributedSemaphore build() {
            return registered(new DistributedSemaphore(core(LockKind.SEMAPHORE, limit)));
        }

        /** Builds a {@link java.util.concurrent.CompletableFuture}-based semaphore with the same settings. */
        public AsyncDistributedSemaphore buildAsync() {
            return registered(new AsyncDistributedSemaphore(core(LockKind.SEMAPHORE, limit)));
        }
    }
}
