package io.dflockd.spring;

import io.dflockd.client.DflockdClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.integration.support.locks.ExpirableLockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * A Spring Integration lock registry on dflockd: {@link #obtain(Object)} gives the
 * {@link DflockdLock} of a key, the same object for the same key until it expires. Locks are reentrant
 * per thread and distributed: two registries (two processes) exclude each other through the server,
 * in FIFO order. Leases are renewed in the background by the client;
 * {@link #renewLock(Object)} renews at once. Thread-safe.
 *
 * <pre>{@code
 * DflockdLockRegistry registry = new DflockdLockRegistry(client);  // one shared DflockdClient
 * Lock lock = registry.obtain("orders/42");
 * if (lock.tryLock(5, TimeUnit.SECONDS)) {
 *     try {
 *         // critical section
 *     } finally {
 *         lock.unlock();
 *     }
 * }
 * }</pre>
 *
 * <p>Lock keys must be {@link String}s; the dflockd key is the {@linkplain #setKeyPrefix prefix}
 * followed by the lock key (no space, TAB, CR, LF or NUL; at most 256 UTF-8 bytes). The registry does
 * not own the client: {@link #close()} closes its locks (releasing those held), not the client.
 */
public class DflockdLockRegistry implements RenewableLockRegistry<DflockdLock>, ExpirableLockRegistry<DflockdLock>,
        AutoCloseable {
    private final DflockdClient client;
    private final Map<String, DflockdLock> locks = new ConcurrentHashMap<>();
    private volatile Duration leaseTtl;
    private volatile String keyPrefix = "";
    private volatile DflockdLockListener listener = DflockdLockListener.NONE;

    /** A registry whose locks are made by {@code client}, with the server's default lease (33 s). */
    public DflockdLockRegistry(DflockdClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * The lease TTL of {@code lock()}, {@code tryLock()} and {@code lockInterruptibly()} (rounded up
     * to whole seconds; {@code null}: the server's default). Applies to locks obtained afterwards.
     */
    public void setLeaseTtl(Duration leaseTtl) {
        if (leaseTtl != null && (leaseTtl.isNegative() || leaseTtl.isZero())) {
            throw new IllegalArgumentException("lease TTL must be positive, got " + leaseTtl);
        }
        this.leaseTtl = leaseTtl;
    }

    /** Put before every lock key to make the dflockd key (default none), e.g. {@code "myapp/"}. */
    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    /** Told of acquisitions, explicit renewals and lost leases of locks obtained afterwards. */
    public void setListener(DflockdLockListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * The lock of {@code lockKey}, a {@link String}.
     *
     * @throws IllegalArgumentException if it is not a String or not a valid dflockd key with the prefix
     */
    @Override
    public DflockdLock obtain(Object lockKey) {
        String key = key(lockKey);
        return locks.computeIfAbsent(key, k -> {
            io.dflockd.client.DistributedLock.builder(k); // validates the key now, not at the first lock
            return new DflockdLock(client, k, leaseTtl, listener);
        });
    }

    /**
     * Renews the lease of the current thread's hold of {@code lockKey} now, with the hold's TTL.
     *
     * @throws IllegalStateException if the current thread does not hold it
     * @throws io.dflockd.client.DflockdException if the renewal fails (the lease is then lost)
     */
    @Override
    public void renewLock(Object lockKey) {
        held(lockKey).renew(null);
    }

    /**
     * Renews the lease of the current thread's hold of {@code lockKey} now, asking for {@code ttl}
     * (rounded up to whole seconds) this once; the background renewals go on asking for the hold's
     * TTL, the next one as scheduled (so a {@code ttl} shorter than that schedule lets the lease
     * lapse).
     *
     * @throws IllegalStateException if the current thread does not hold it
     * @throws io.dflockd.client.DflockdException if the renewal fails (the lease is then lost)
     */
    @Override
    public void renewLock(Object lockKey, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        held(lockKey).renew(ttl);
    }

    /**
     * Forgets the locks that no thread holds or waits for and that nobody used for longer than
     * {@code age} milliseconds, and closes them (a caller that kept one can still use it: it then works
     * on its own, apart from the lock {@link #obtain} gives from now on).
     */
    @Override
    public void expireUnusedOlderThan(long age) {
        long now = System.nanoTime();
        long ageNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, age));
        locks.forEach((key, lock) -> {
            if (now - lock.lastUsedNanos() > ageNanos && lock.closeIfUnused()) {
                locks.remove(key, lock);
            }
        });
    }

    /** How many of this registry's locks some thread of this JVM holds now, with a proven lease. */
    public int heldCount() {
        int n = 0;
        for (DflockdLock l : locks.values()) {
            if (l.isHeld()) {
                n++;
            }
        }
        return n;
    }

    /** Closes every lock of this registry, releasing those held; the client stays open. */
    @Override
    public void close() {
        locks.values().forEach(DflockdLock::close);
        locks.clear();
    }

    private String key(Object lockKey) {
        if (!(lockKey instanceof String s)) {
            throw new IllegalArgumentException("lock keys of a DflockdLockRegistry are Strings, got "
                    + (lockKey == null ? "null" : lockKey.getClass().getName()));
        }
        return keyPrefix + s;
    }

    private DflockdLock held(Object lockKey) {
        DflockdLock lock = locks.get(key(lockKey));
        if (lock == null) {
            throw new IllegalStateException("no lock '" + lockKey + "' was obtained from this registry");
        }
        return lock;
    }

    @Override
    public String toString() {
        return "DflockdLockRegistry{" + client + ", locks=" + locks.size() + "}";
    }
}
