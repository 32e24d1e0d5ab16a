package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DistributedLock;
import io.dflockd.client.DistributedSemaphore;
import io.dflockd.client.LeaseLostListener;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * What {@code lock} and {@code sem} hold while the command runs: a {@link DistributedLock} or one
 * slot of a {@link DistributedSemaphore}, behind one interface so the run logic exists once.
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

    /** For messages: {@code lock 'KEY'} or {@code semaphore 'KEY'}. */
    String describe();

    /** Releases (best effort) and closes the connection; idempotent. */
    @Override
    void close();

    /** A lock on {@code key}. */
    static HeldLease lock(String key, ClientConfig config, Duration timeout, Duration lease,
            LeaseLostListener listener) {
        DistributedLock lock = DistributedLock.builder(key).config(config).acquireTimeout(timeout)
                .leaseTtl(lease).onLeaseLost(listener).build();
        return new HeldLease() {
            @Override
            public boolean acquire() {
                return lock.acquire();
            }

            @Override
            public String token() {
                return lock.token();
            }

            @Override
            public OptionalLong fence() {
                return lock.fence();
            }

            @Override
            public String key() {
                return key;
            }

            @Override
            public String describe() {
                return "lock '" + key + "'";
            }

            @Override
            public void close() {
                lock.close();
            }
        };
    }

    /** One slot of a semaphore with {@code limit} slots on {@code key}. */
    static HeldLease semaphore(String key, int limit, ClientConfig config, Duration timeout, Duration lease,
            LeaseLostListener listener) {
        DistributedSemaphore sem = DistributedSemaphore.builder(key, limit).config(config).acquireTimeout(timeout)
                .leaseTtl(lease).onLeaseLost(listener).build();
        return new HeldLease() {
            @Override
            public boolean acquire() {
                return sem.acquire();
            }

            @Override
            public String token() {
                return sem.token();
            }

            @Override
            public OptionalLong fence() {
                return sem.fence();
            }

            @Override
            public String key() {
                return key;
            }

            @Override
            public String describe() {
                return "semaphore '" + key + "' (limit " + limit + ")";
            }

            @Override
            public void close() {
                sem.close();
            }
        };
    }
}
