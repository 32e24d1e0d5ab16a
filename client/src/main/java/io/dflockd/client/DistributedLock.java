package io.dflockd.client;

import io.dflockd.protocol.LockKind;
import java.time.Duration;

/**
 * A distributed FIFO lock on one key, held with a lease that is renewed in the background.
 *
 * <p><b>try-with-resources</b> — {@link #acquireOrThrow()} acquires and returns the lock, or throws
 * {@link AcquireTimeoutException}; closing releases it:
 * <pre>{@code
 * try (DistributedLock lock = DistributedLock.builder("my-key").build().acquireOrThrow()) {
 *     // critical section; lock.token(), lock.fence() …
 * }
 * }</pre>
 *
 * <p><b>Manual</b> — {@link #acquire()} returns {@code false} on timeout:
 * <pre>{@code
 * DistributedLock lock = DistributedLock.builder("my-key").acquireTimeout(Duration.ofSeconds(5)).build();
 * try {
 *     if (lock.acquire()) {
 *         // critical section
 *         lock.release();
 *     }
 * } finally {
 *     lock.close();
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
 * refused, the lock is lost at once: the token is cleared, one line is logged and the
 * {@link LeaseLostListener} is called.
 *
 * <p>An instance is not re-entrant: {@code acquire}/{@code enqueue} while it holds or queues throw
 * {@link IllegalStateException} and keep what it has ({@link #asLock()} is the reentrant form).
 * Instances are thread-safe; operations on one instance are serialised.
 * An instance that is garbage-collected while still connected closes its connection and logs a
 * warning (logger {@code io.dflockd.client}). After {@link #close()} the instance cannot be reused.
 */
public final class DistributedLock extends DistributedPrimitive {
    private DistributedLock(LeaseCore core) {
        super(core);
    }

    /**
     * A builder for a lock on {@code key} (non-empty, at most 256 UTF-8 bytes, no space, TAB, CR, LF
     * or NUL).
     */
    public static Builder builder(String key) {
        return new Builder(key);
    }


    /**
     * Acquires with the configured timeout and returns this lock, for try-with-resources.
     *
     * @throws AcquireTimeoutException if not granted in time
     */
    @Override
    public DistributedLock acquireOrThrow() {
        acquireOrFail();
        return this;
    }

    /** Builder of {@link DistributedLock} and {@link AsyncDistributedLock}; validates eagerly. */
    public static final class Builder extends LeaseBuilder<Builder> {
        private Builder(String key) {
            super(key);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds a blocking lock; no connection is opened yet.
         *
         * @throws IllegalStateException if the sharding strategy maps the key outside the server list
         */
        public DistributedLock build() {
            return registered(new DistributedLock(core(LockKind.LOCK, 0)));
        }

        /** Builds a {@link java.util.concurrent.CompletableFuture}-based lock with the same settings. */
        public AsyncDistributedLock buildAsync() {
            return registered(new AsyncDistributedLock(core(LockKind.LOCK, 0)));
        }
    }
}
