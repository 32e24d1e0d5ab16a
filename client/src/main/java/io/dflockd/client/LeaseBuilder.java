package io.dflockd.client;

import io.dflockd.protocol.LockKind;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The options {@link DistributedLock.Builder}, {@link DistributedSemaphore.Builder} and
 * {@link DistributedReadWriteLock.Builder} share; each setter validates at once and returns the
 * concrete builder.
 *
 * @param <B> the concrete builder type
 */
public abstract sealed class LeaseBuilder<B extends LeaseBuilder<B>>
        permits DistributedLock.Builder, DistributedSemaphore.Builder, DistributedReadWriteLock.Builder {
    final String key;
    ClientConfig config = ClientConfig.defaults();
    Duration acquireTimeout = Duration.ofSeconds(10);
    Duration leaseTtl;
    LeaseLostListener listener;
    /** Told of every object built (a {@link DflockdClient} keeps them, to close them with itself). */
    Consumer<AutoCloseable> onBuild = built -> { };

    LeaseBuilder(String key) {
        this.key = Validate.key(key);
    }

    abstract B self();

    /** A core of {@code kind} with these settings ({@code limit} 0 but for a semaphore). */
    final LeaseCore core(LockKind kind, int limit) {
        return new LeaseCore(kind, key, limit, config, acquireTimeout, leaseTtl, listener);
    }

    /** {@code built}, after telling {@link #onBuild}. */
    final <T extends AutoCloseable> T registered(T built) {
        onBuild.accept(built);
        return built;
    }

    /** Servers, sharding, TLS, auth, renew ratio and connect timeout (default {@link ClientConfig#defaults()}). */
    public B config(ClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        return self();
    }

    /** Default timeout of {@code acquire()} and {@code await()} (default 10 s; zero = try-lock). */
    public B acquireTimeout(Duration timeout) {
        Durations.timeoutSeconds(timeout, "acquire timeout");
        this.acquireTimeout = timeout;
        return self();
    }

    /**
     * Lease to request, rounded up to whole seconds (default {@code null}: the server's default,
     * 33 s). Renewals request the same lease.
     */
    public B leaseTtl(Duration leaseTtl) {
        Durations.leaseSeconds(leaseTtl);
        this.leaseTtl = leaseTtl;
        return self();
    }

    /**
     * Called when the lock (the slot; either side of a read-write lock) is lost: renewal refused,
     * connection lost or deadline passed (default none).
     */
    public B onLeaseLost(LeaseLostListener listener) {
        this.listener = listener;
        return self();
    }
}
