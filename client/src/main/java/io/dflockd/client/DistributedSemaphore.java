package io.dflockd.client;

import java.lang.ref.Cleaner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.locks.Lock;

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
 * (closing any previous one, which gives up what it held) and closed by {@code release}, {@code close}
 * and timeouts. While held, the lease is renewed every {@code lease × renewRatio} (at most every
 * 15 s, so the connection never idles into the server's read timeout). If renewal fails the slot is
 * lost: the token is cleared, the error is logged and the {@link LeaseLostListener} is called.
 *
 * <p>Holding one slot does not stop the same instance from being asked again; each acquire opens a new
 * connection and gives up the previous slot. Instances are thread-safe; operations on one instance are serialised.
 * An instance that is garbage-collected while still connected closes its connection and logs a
 * warning (logger {@code io.dflockd.client}). After {@link #close()} the instance cannot be reused.
 */
public final class DistributedSemaphore implements AutoCloseable {
    private final LeaseCore core;
    private final Cleaner.Cleanable cleanable;

    private DistributedSemaphore(LeaseCore core) {
        this.core = core;
        this.cleanable = Shared.CLEANER.register(this, core::reclaim);
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
     * @throws DflockdException on any other failure (nothing is held)
     */
    public boolean acquire() {
        return core.acquire(core.acquireTimeout, null);
    }

    /**
     * Acquires a slot, waiting up to {@code timeout} in the key's FIFO queue (whole seconds on the wire,
     * rounded up; zero = try once without queueing).
     *
     * @return true if acquired; false if the timeout elapsed (nothing is held or queued)
     */
    public boolean acquire(Duration timeout) {
        return core.acquire(timeout, null);
    }

    /**
     * Acquires with the configured timeout and returns this semaphore, for try-with-resources.
     *
     * @throws AcquireTimeoutException if not granted in time
     */
    public DistributedSemaphore acquireOrThrow() {
        if (!acquire()) {
            throw new AcquireTimeoutException(core.server, "semaphore '" + core.key + "' not acquired within "
                    + core.acquireTimeout);
        }
        return this;
    }

    /**
     * Two-phase step 1: takes a slot if one is free and nobody queues ({@link EnqueueResult#ACQUIRED},
     * renewal starts at once), else joins the queue ({@link EnqueueResult#QUEUED}).
     */
    public EnqueueResult enqueue() {
        return core.enqueue(null);
    }

    /** Two-phase step 2 with the configured acquire timeout; see {@link #await(Duration)}. */
    public boolean await() {
        return core.await(core.acquireTimeout, null);
    }

    /**
     * Two-phase step 2: blocks until granted. Returns true at once, without I/O, if a slot is held
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

    /** Releases if held and closes for good; idempotent. */
    @Override
    public void close() {
        core.close();
        cleanable.clean();
    }

    /** The token of the held slot, or {@code null} if not held. */
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

    /** Whether a slot is held (granted and not lost). */
    public boolean isHeld() {
        return core.isHeld();
    }

    /**
     * A {@link Lock} view of one slot: {@code lock()} retries until granted, {@code tryLock()} tries without
     * queueing, {@code tryLock(time, unit)} and {@code lockInterruptibly()} can be interrupted
     * (the pending request is withdrawn), {@code unlock()} releases (and throws
     * {@link IllegalMonitorStateException} if not held), {@code newCondition()} is unsupported.
     */
    public Lock asLock() {
        return new LockView(core, this);
    }

    @Override
    public String toString() {
        return "DistributedSemaphore[" + core.key + " limit " + core.limit + " @ " + Addresses.format(core.server)
                + (core.isHeld() ? ", held" : "") + (core.isClosed() ? ", closed" : "") + "]";
    }

    /** Builder of {@link DistributedSemaphore} and {@link AsyncDistributedSemaphore}; validates eagerly. */
    public static final class Builder {
        private final String key;
        private ClientConfig config = ClientConfig.defaults();
        private Duration acquireTimeout = Duration.ofSeconds(10);
        private Duration leaseTtl;
        private LeaseLostListener listener;

        private final int limit;

        private Builder(String key, int limit) {
            this.key = Validate.key(key);
            this.limit = Validate.limit(limit);
        }

        /** Servers, sharding, TLS, auth, renew ratio and connect timeout (default {@link ClientConfig#defaults()}). */
        public Builder config(ClientConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Default timeout of {@code acquire()} and {@code await()} (default 10 s; zero = try-lock). */
        public Builder acquireTimeout(Duration timeout) {
            Durations.timeoutSeconds(timeout, "acquire timeout");
            this.acquireTimeout = timeout;
            return this;
        }

        /**
         * Lease to request, rounded up to whole seconds (default {@code null}: the server's default,
         * 33 s). Renewals request the same lease.
         */
        public Builder leaseTtl(Duration leaseTtl) {
            Durations.leaseSeconds(leaseTtl);
            this.leaseTtl = leaseTtl;
            return this;
        }

        /** Called when background renewal fails and the slot is lost (default none). */
        public Builder onLeaseLost(LeaseLostListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Builds a blocking semaphore; no connection is opened yet.
         *
         * @throws IllegalStateException if the sharding strategy maps the key outside the server list
         */
        public DistributedSemaphore build() {
            return new DistributedSemaphore(core());
        }

        /** Builds a {@link java.util.concurrent.CompletableFuture}-based semaphore with the same settings. */
        public AsyncDistributedSemaphore buildAsync() {
            return new AsyncDistributedSemaphore(core());
        }

        private LeaseCore core() {
            return new LeaseCore("semaphore", key, limit, config, acquireTimeout, leaseTtl, listener);
        }
    }
}
