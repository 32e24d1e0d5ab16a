package io.dflockd.shedlock;

import io.dflockd.client.DflockdClient;
import io.dflockd.client.DflockdConnection;
import io.dflockd.client.DflockdException;
import io.dflockd.client.DistributedLock;
import io.dflockd.client.ServerErrorException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.support.LockException;

/**
 * A ShedLock {@link ExtensibleLockProvider} on a shared {@link DflockdClient}: one dflockd lock per
 * ShedLock name (the key is {@code keyPrefix + name}), so {@code KeepAliveLockProvider} can wrap it.
 *
 * <p>The mapping, exactly (README "ShedLock" section):
 * <ul>
 *   <li>{@link #lock}: a try-lock (acquire timeout zero) with a lease of the time left until
 *       {@code lockAtMostUntil}; then, at once, the held lock is handed over to time
 *       ({@link DistributedLock#releaseAfter}, the {@code k} extension): the server keeps it until
 *       that same deadline, whatever becomes of this node, and lets it expire then. No background
 *       renewal goes on and no connection stays open while the task runs: the lock ends at
 *       {@code lockAtMostFor} even if this JVM hangs but lives on, as ShedLock expects.</li>
 *   <li>{@link SimpleLock#unlock()}: if {@code lockAtLeastUntil} is still ahead, {@code k} again with
 *       the time left (the lock is kept that long, then expires); else a release ({@code r}).</li>
 *   <li>{@link SimpleLock#extend}: {@code k} with the new {@code lockAtMostFor} from now, by token;
 *       empty if the server no longer knows the token (the lock expired or was taken over).</li>
 * </ul>
 * Durations are whole seconds on the wire, rounded up: a lock may be held up to 1 s longer than
 * asked, never shorter. A server without the extension (an upstream dflockd) answers {@code k} with
 * an error: {@link #lock} then releases what it took and throws a {@link LockException} saying so.
 */
public final class DflockdLockProvider implements ExtensibleLockProvider {
    /** The default prefix of the keys: ShedLock names live apart from the application's own locks. */
    public static final String DEFAULT_KEY_PREFIX = "shedlock:";

    private static final System.Logger LOG = System.getLogger(DflockdLockProvider.class.getName());

    private final DflockdClient client;
    private final String keyPrefix;

    /** A provider with keys {@code "shedlock:" + name}. */
    public DflockdLockProvider(DflockdClient client) {
        this(client, DEFAULT_KEY_PREFIX);
    }

    /** A provider with keys {@code keyPrefix + name} (the prefix may be empty). */
    public DflockdLockProvider(DflockdClient client, String keyPrefix) {
        this.client = Objects.requireNonNull(client, "client");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    /** The dflockd key of a ShedLock name. */
    public String keyOf(String lockName) {
        return keyPrefix + lockName;
    }

    /**
     * Takes the lock if nobody holds it and hands it over to time until {@code lockAtMostUntil}.
     *
     * @return the lock, or empty if another node holds it
     * @throws LockException if the server does not have the {@code k} extension (nothing is held then)
     * @throws DflockdException if the server cannot be reached or fails otherwise (nothing is held)
     */
    @Override
    public Optional<SimpleLock> lock(LockConfiguration config) {
        String key = keyOf(config.getName());
        Duration atMost = until(config.getLockAtMostUntil());
        try (DistributedLock lock = client.lockBuilder(key).leaseTtl(atMost).acquireTimeout(Duration.ZERO).build()) {
            if (!lock.acquire()) {
                return Optional.empty();
            }
            String token = lock.token();
            try {
                lock.releaseAfter(until(config.getLockAtMostUntil()));
            } catch (ServerErrorException e) { // still held: close() below releases it
                throw new LockException("dflockd server " + lock.server() + " refused to keep lock '" + key
                        + "' for lockAtMostFor: DflockdLockProvider needs a dflockd-for-Java server (the k"
                        + " extension, PROTOCOL.md section 6.10); an upstream dflockd answers it with an error. "
                        + e.getMessage(), e);
            }
            return Optional.of(new DflockdSimpleLock(config, key, token));
        }
    }

    /** The time from now until {@code deadline}, at least 1 ms (which goes on the wire as 1 s). */
    private static Duration until(Instant deadline) {
        Duration d = Duration.between(ClockProvider.now(), deadline);
        return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
    }

    @Override
    public String toString() {
        return "DflockdLockProvider[keyPrefix=" + keyPrefix + ", " + client + "]";
    }

    /** A lock handed over to time: nothing but its key and token lives here. */
    private final class DflockdSimpleLock extends AbstractSimpleLock {
        private final String key;
        private final String token;

        DflockdSimpleLock(LockConfiguration config, String key, String token) {
            super(config);
            this.key = key;
            this.token = token;
        }

        /**
         * Keeps the lock until {@code lockAtLeastUntil} if that is ahead, else releases it. If the
         * server no longer knows the token (the lock already expired) or cannot be reached, this logs
         * and returns: the lock then ends at its last deadline anyway.
         */
        @Override
        protected void doUnlock() {
            Duration atLeast = Duration.between(ClockProvider.now(), lockConfiguration.getLockAtLeastUntil());
            try (DflockdConnection conn = client.connection(key)) {
                if (atLeast.isNegative() || atLeast.isZero()) {
                    conn.release(key, token);
                } else {
                    conn.keep(key, token, atLeast);
                }
            } catch (DflockdException e) {
                LOG.log(System.Logger.Level.WARNING, "unlocking ShedLock lock '" + lockConfiguration.getName()
                        + "' (dflockd key '" + key + "') failed; it ends at its last deadline: " + e);
            }
        }

        /** Keeps the lock for the new {@code lockAtMostFor} from now; empty if it is no longer held. */
        @Override
        protected Optional<SimpleLock> doExtend(LockConfiguration newConfig) {
            try (DflockdConnection conn = client.connection(key)) {
                conn.keep(key, token, until(newConfig.getLockAtMostUntil()));
                return Optional.of(new DflockdSimpleLock(newConfig, key, token));
            } catch (DflockdException e) {
                LOG.log(System.Logger.Level.DEBUG, "extending ShedLock lock '" + newConfig.getName()
                        + "' (dflockd key '" + key + "') failed: " + e);
                return Optional.empty();
            }
        }
    }
}
