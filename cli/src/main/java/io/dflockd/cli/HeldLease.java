package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DistributedLock;
import io.dflockd.client.DistributedPrimitive;
import io.dflockd.client.DistributedReadWriteLock;
import io.dflockd.client.DistributedSemaphore;
import io.dflockd.client.LeaderElection;
import io.dflockd.client.LeaseLostListener;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code lock}, {@code sem}, {@code rwlock} and {@code elect} hold while the command runs: a
 * {@link DistributedLock}, one slot of a {@link DistributedSemaphore}, one side of a
 * {@link DistributedReadWriteLock} or the leadership of a {@link LeaderElection}, behind one interface so the run logic exists once.
 */
interface HeldLease extends AutoCloseable {
    /** Waits up to the acquire timeout; false if not granted in time. */
    boolean acquire();

    /** The current token, or null if not held. */
    String token();

    /** The fencing token of the current grant, if the server issues them. */
    OptionalLong fence();

    /** The key. */
    String key();

    /** For messages: {@code lock 'KEY'}, {@code semaphore 'KEY' (limit N)}, {@code read lock 'KEY'}. */
    String describe();

    /** Releases (best effort) and closes the connection; idempotent. */
    @Override
    void close();

    /** A lock on {@code key}. */
    static HeldLease lock(String key, ClientConfig config, Duration timeout, Duration lease,
            LeaseLostListener listener) {
        DistributedLock lock = DistributedLock.builder(key).config(config).acquireTimeout(timeout)
                .leaseTtl(lease).onLeaseLost(listener).build();
        return of(lock, lock::close, "lock '" + key + "'");
    }

    /** One slot of a semaphore with {@code limit} slots on {@code key}. */
    static HeldLease semaphore(String key, int limit, ClientConfig config, Duration timeout, Duration lease,
            LeaseLostListener listener) {
        DistributedSemaphore sem = DistributedSemaphore.builder(key, limit).config(config).acquireTimeout(timeout)
                .leaseTtl(lease).onLeaseLost(listener).build();
        return of(sem, sem::close, "semaphore '" + key + "' (limit " + limit + ")");
    }

    /** The read side ({@code write} false) or the write side of a read-write lock on {@code key}. */
    static HeldLease readWrite(String key, boolean write, ClientConfig config, Duration timeout, Duration lease,
            LeaseLostListener listener) {
        DistributedReadWriteLock rw = DistributedReadWriteLock.builder(key).config(config).acquireTimeout(timeout)
                .leaseTtl(lease).onLeaseLost(listener).build();
        return of(write ? rw.writer() : rw.reader(), rw::close, (write ? "write" : "read") + " lock '" + key + "'");
    }

    /** A candidate in the leader election of {@code name}: "acquired" once it leads. */
    static HeldLease election(String name, ClientConfig config, Duration timeout, Duration lease,
            LeaseLostListener listener) {
        LeaderElection election = LeaderElection.builder(name).config(config).leaseTtl(lease)
                .onLeadershipLost(listener).build();
        return of(() -> election.campaign(timeout), election::token, election::fence, name, election::close,
                "leadership of election '" + name + "'");
    }

    /** {@code held}, closed with {@code close} (which closes what {@code held} belongs to). */
    private static HeldLease of(DistributedPrimitive held, Runnable close, String description) {
        return of(held::acquire, held::token, held::fence, held.key(), close, description);
    }

    private static HeldLease of(BooleanSupplier acquire, Supplier<String> token, Supplier<OptionalLong> fence,
            String key, Runnable close, String description) {
        return new HeldLease() {
            @Override
            public boolean acquire() {
                return acquire.getAsBoolean();
            }

            @Override
            public String token() {
                return token.get();
            }

            @Override
            public OptionalLong fence() {
                return fence.get();
            }

            @Override
            public String key() {
                return key;
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
