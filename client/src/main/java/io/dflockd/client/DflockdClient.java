package io.dflockd.client;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * One client for an application: created once with a {@link ClientConfig}, shared by every thread,
 * closed at shutdown (as an OkHttp {@code OkHttpClient} or a Redisson {@code RedissonClient}).
 *
 * <pre>{@code
 * DflockdClient client = DflockdClient.create(ClientConfig.builder().servers("h1:6388", "h2:6388").build());
 * try (DistributedLock lock = client.lock("orders/42").acquireOrThrow()) {
 *     // critical section
 * }
 * client.close(); // at shutdown: closes whatever it opened that is still open
 * }</pre>
 *
 * <p>Every lock, semaphore, read-write lock, data object (counter, map, queue, barrier), signal connection
 * and low-level connection it makes uses its config
 * and is remembered (weakly, so a forgotten object can still be reclaimed); {@link #close()}
 * closes those still open, which releases what they hold and ends their renewals and readers, so
 * no library thread works for this client afterwards. The builders ({@link #lockBuilder},
 * {@link #semaphoreBuilder}, {@link #readWriteLockBuilder}, {@link #signalsBuilder}) start from the client's config and can
 * change any per-object option. Thread-safe.
 */
public final class DflockdClient implements AutoCloseable {
    private final ClientConfig config;
    private final Set<AutoCloseable> opened = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private volatile boolean closed;

    private DflockdClient(ClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A client for the servers, TLS, auth and timeouts of {@code config}. */
    public static DflockdClient create(ClientConfig config) {
        return new DflockdClient(config);
    }

    /** A client with {@link ClientConfig#defaults()}: {@code 127.0.0.1:6388}, plain TCP, no auth. */
    public static DflockdClient create() {
        return create(ClientConfig.defaults());
    }

    /** The config everything this client makes uses. */
    public ClientConfig config() {
        return config;
    }

    /** A lock on {@code key} with the default options; no connection is opened yet. */
    public DistributedLock lock(String key) {
        return lockBuilder(key).build();
    }

    /** A builder for a lock on {@code key}, set to this client's config. */
    public DistributedLock.Builder lockBuilder(String key) {
        return tracked(DistributedLock.builder(key));
    }

    /** A semaphore of {@code limit} slots on {@code key} with the default options. */
    public DistributedSemaphore semaphore(String key, int limit) {
        return semaphoreBuilder(key, limit).build();
    }

    /** A builder for a semaphore on {@code key}, set to this client's config. */
    public DistributedSemaphore.Builder semaphoreBuilder(String key, int limit) {
        return tracked(DistributedSemaphore.builder(key, limit));
    }

    /** A read-write lock on {@code key} with the default options; no connection is opened yet. */
    public DistributedReadWriteLock readWriteLock(String key) {
        return readWriteLockBuilder(key).build();
    }

    /** A builder for a read-write lock on {@code key}, set to this client's config. */
    public DistributedReadWriteLock.Builder readWriteLockBuilder(String key) {
        return tracked(DistributedReadWriteLock.builder(key));
    }

    /** A candidate in the leader election of {@code name} with the default options; not connected yet. */
    public LeaderElection leaderElection(String name) {
        return leaderElectionBuilder(name).build();
    }

    /** A builder for a candidate in the election of {@code name}, set to this client's config. */
    public LeaderElection.Builder leaderElectionBuilder(String name) {
        LeaderElection.Builder b = LeaderElection.builder(name).config(config);
        b.onBuild = this::track;
        return b;
    }

    /** The counter {@code key}; connections are opened per call. */
    public DistributedCounter counter(String key) {
        return track(new DistributedCounter(config, key));
    }

    /** The key-value entries, sharded by key. */
    public DistributedMap map() {
        return track(new DistributedMap(config));
    }

    /** The list {@code key}, as a double-ended queue. */
    public DistributedQueue queue(String key) {
        return track(new DistributedQueue(config, key));
    }

    /** The barrier {@code key} of {@code parties} parties. */
    public DistributedBarrier barrier(String key, int parties) {
        return track(new DistributedBarrier(config, key, parties));
    }

    /** A connected signal connection to the config's first server. */
    public SignalConn signals() {
        return signalsBuilder().connect();
    }

    /** A builder for a signal connection, set to this client's config (first server). */
    public SignalConn.Builder signalsBuilder() {
        SignalConn.Builder b = SignalConn.builder().config(config);
        b.onBuild = this::track;
        return b;
    }

    /** A low-level connection to the config's first server. */
    public DflockdConnection connection() {
        return track(DflockdConnection.open(config));
    }

    /** A low-level connection to the server that owns {@code key} under the config's sharding. */
    public DflockdConnection connection(String key) {
        return track(DflockdConnection.open(config, config.serverFor(Validate.key(key))));
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes every object this client made that is still open (releasing what they hold) and refuses
     * to make more; idempotent.
     */
    @Override
    public void close() {
        closed = true;
        List<AutoCloseable> toClose;
        synchronized (opened) {
            toClose = new ArrayList<>(opened);
            opened.clear();
        }
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) { // one failure must not keep the others open
                Shared.LOG.log(Level.DEBUG, "closing " + c + " failed: " + e);
            }
        }
    }

    /** {@code b} set to this client's config, telling this client of what it builds. */
    private <B extends LeaseBuilder<B>> B tracked(B b) {
        b.onBuild = this::track;
        return b.config(config);
    }

    private <T extends AutoCloseable> T track(T made) {
        if (closed) {
            closeQuietly(made);
            throw new IllegalStateException("this DflockdClient is closed");
        }
        opened.add(made);
        if (closed) { // close() ran meanwhile and may not have seen it
            closeQuietly(made);
            throw new IllegalStateException("this DflockdClient is closed");
        }
        return made;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // being discarded
        }
    }

    @Override
    public String toString() {
        return "DflockdClient{" + config + (closed ? ", closed" : "") + "}";
    }
}
