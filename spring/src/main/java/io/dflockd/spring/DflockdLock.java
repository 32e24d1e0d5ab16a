package io.dflockd.spring;

import io.dflockd.client.DflockdClient;
import io.dflockd.client.LockView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.integration.support.locks.DistributedLock;

/**
 * A lock of a {@link DflockdLockRegistry}: the dflockd lock on one key, reentrant per thread like
 * {@link ReentrantLock} (and like Spring's Redis and JDBC registry locks).
 *
 * <ul>
 *   <li>The outermost acquisition of a thread takes the lock on the server through the client's
 *       {@link LockView}: FIFO order, one request; {@code lock()} waits for as long as it takes;
 *       {@code lockInterruptibly()} and {@code tryLock(time, unit)} withdraw the request on interrupt;
 *       {@code tryLock()} never queues. Timeouts are whole seconds on the wire (rounded up).
 *   <li>Nested acquisitions by the owning thread count locally. A nested {@code tryLock} also checks
 *       the lease: if it was lost, it returns {@code false} and the thread holds nothing any more (every
 *       nested hold is void; its next acquisition starts afresh). {@link
 *       org.springframework.integration.support.leader.LockRegistryLeaderInitiator} relies on this to
 *       notice a lost leadership.
 *   <li>The outermost {@code unlock()} releases on the server; it throws
 *       {@link IllegalMonitorStateException} when the calling thread does not hold the lock, and (after
 *       freeing the hold) when the lease was lost while it was held.
 *   <li>{@link #lock(Duration)} and {@link #tryLock(Duration, Duration)} take the lock with that lease
 *       TTL (rounded up to whole seconds) instead of the registry's; the client renews it in the
 *       background either way. A nested acquisition keeps the lease of the outermost one.
 * </ul>
 */
public final class DflockdLock implements DistributedLock {
    private final DflockdClient client;
    private final String key;
    private final Duration defaultTtl;
    private final DflockdLockListener listener;
    private final ReentrantLock local = new ReentrantLock(true);
    /** Client locks by lease seconds (0: the server's default), built on first use; guarded by itself. */
    private final Map<Long, io.dflockd.client.DistributedLock> byLease = new HashMap<>();
    /** The client lock the owner thread holds; set and cleared by the owner thread only. */
    private volatile io.dflockd.client.DistributedLock held;
    private volatile long lastUsedNanos = System.nanoTime();

    DflockdLock(DflockdClient client, String key, Duration defaultTtl, DflockdLockListener listener) {
        this.client = client;
        this.key = key;
        this.defaultTtl = defaultTtl;
        this.listener = listener;
    }

    /** The dflockd key (the registry's prefix and the lock key). */
    public String key() {
        return key;
    }

    @Override
    public void lock() {
        lock(defaultTtl);
    }

    @Override
    public void lock(Duration ttl) {
        local.lock();
        if (local.getHoldCount() > 1) {
            touch();
            return;
        }
        try {
            outermost(ttl, view -> {
                view.lock();
                return true;
            });
        } catch (InterruptedException e) { // lock() is not interruptible
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        local.lockInterruptibly();
        if (local.getHoldCount() > 1) {
            touch();
            return;
        }
        outermost(defaultTtl, view -> {
            view.lockInterruptibly();
            return true;
        });
    }

    /** Takes the lock only if it is free and nobody queues for it; never waits. */
    @Override
    public boolean tryLock() {
        if (!local.tryLock()) {
            return false;
        }
        if (local.getHoldCount() > 1) {
            return stillHeld();
        }
        try {
            return outermost(defaultTtl, LockView::tryLock);
        } catch (InterruptedException e) { // tryLock() does not wait
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryLock(Duration.ofNanos(unit.toNanos(time)), defaultTtl);
    }

    @Override
    public boolean tryLock(Duration waitTime, Duration ttl) throws InterruptedException {
        long wait = nanos(waitTime);
        long deadline = System.nanoTime() + wait;
        if (!local.tryLock(wait, TimeUnit.NANOSECONDS)) {
            return false;
        }
        if (local.getHoldCount() > 1) {
            return stillHeld();
        }
        return outermost(ttl, view -> view.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
    }

    /**
     * Undoes one acquisition; the outermost releases on the server.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock, or (after
     *     freeing the hold) if the lease was lost while it was held
     */
    @Override
    public void unlock() {
        if (!local.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("lock '" + key + "' is not held by this thread");
        }
        touch();
        if (local.getHoldCount() > 1) {
            local.unlock();
            return;
        }
        io.dflockd.client.DistributedLock h = held;
        held = null;
        try {
            h.asLock().unlock();
        } finally {
            local.unlock();
        }
    }

    /** dflockd has no server-side wait/notify. */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("dflockd locks do not support conditions");
    }

    /** Whether the current thread holds this lock. */
    public boolean isHeldByCurrentThread() {
        return local.isHeldByCurrentThread();
    }

    /** How often the current thread holds this lock; 0 if not. */
    public int getHoldCount() {
        return local.getHoldCount();
    }

    /** Whether some thread of this JVM holds this lock and its lease is proven. */
    public boolean isHeld() {
        io.dflockd.client.DistributedLock h = held;
        return h != null && h.isHeld();
    }

    /** Until when the current hold is proven ({@link io.dflockd.client.DistributedLock#leaseValidUntil()}); empty if not held. */
    public Optional<Instant> leaseValidUntil() {
        io.dflockd.client.DistributedLock h = held;
        return h == null ? Optional.empty() : h.leaseValidUntil();
    }

    /** The fencing token of the current hold (servers v2.1+; compare unsigned); empty if not held. */
    public OptionalLong fence() {
        io.dflockd.client.DistributedLock h = held;
        return h == null ? OptionalLong.empty() : h.fence();
    }

    @Override
    public String toString() {
        return "DflockdLock{" + key + (isHeld() ? ", held" : "") + "}";
    }

    // ---- for the registry ------------------------------------------------------------------

    /** Renews the current thread's hold now, asking for {@code ttl} ({@code null}: the hold's own). */
    Duration renew(Duration ttl) {
        io.dflockd.client.DistributedLock h = held;
        if (!local.isHeldByCurrentThread() || h == null) {
            throw new IllegalStateException("lock '" + key + "' is not held by the current thread");
        }
        try {
            Duration granted = ttl == null ? h.renew() : h.renew(ttl);
            listener.renewed(key);
            return granted;
        } catch (RuntimeException e) {
            listener.renewFailed(key, e);
            throw e;
        }
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /**
     * Closes the client locks if no thread holds or waits for this lock; a later use builds new
     * ones. False if it is in use.
     */
    boolean closeIfUnused() {
        if (!local.tryLock()) {
            return false;
        }
        try {
            if (local.getHoldCount() > 1 || local.hasQueuedThreads()) {
                return false;
            }
            close();
            return true;
        } finally {
            local.unlock();
        }
    }

    /** Closes the client locks (releasing a hold: its unlock then throws); a later use builds new ones. */
    void close() {
        List<io.dflockd.client.DistributedLock> all;
        synchronized (byLease) {
            all = new ArrayList<>(byLease.values());
            byLease.clear();
        }
        all.forEach(io.dflockd.client.DistributedLock::close);
    }

    // ---- internals -------------------------------------------------------------------------

    private interface Attempt {
        boolean on(LockView view) throws InterruptedException;
    }

    /** The outermost acquisition (local lock held once): one distributed attempt; frees the local lock unless held. */
    private boolean outermost(Duration ttl, Attempt attempt) throws InterruptedException {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            io.dflockd.client.DistributedLock lock = clientLock(ttl);
            ok = attempt.on(lock.asLock());
            if (ok) {
                held = lock;
                lock.leaseLost().whenComplete((cause, cancelled) -> {
                    if (cause != null) {
                        listener.leaseLost(key, cause);
                    }
                });
                listener.acquired(key, Duration.ofNanos(System.nanoTime() - start));
            } else {
                listener.notAcquired(key, Duration.ofNanos(System.nanoTime() - start));
            }
            return ok;
        } catch (InterruptedException | RuntimeException | Error e) {
            listener.acquireFailed(key, Duration.ofNanos(System.nanoTime() - start), e);
            throw e;
        } finally {
            touch();
            if (!ok) {
                local.unlock();
            }
        }
    }

    /** A nested tryLock: true if the lease still holds; else every hold of this thread is void. */
    private boolean stillHeld() {
        touch();
        io.dflockd.client.DistributedLock h = held;
        if (h.isHeld()) {
            return true;
        }
        held = null;
        try {
            h.asLock().unlock();
        } catch (IllegalMonitorStateException expected) {
            // the lease was lost: that is what this false reports
        }
        while (local.isHeldByCurrentThread()) {
            local.unlock();
        }
        return false;
    }

    private io.dflockd.client.DistributedLock clientLock(Duration ttl) {
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException("lease TTL must be positive, got " + ttl);
        }
        long seconds = ttl == null ? 0 : ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
        synchronized (byLease) {
            return byLease.computeIfAbsent(seconds, s -> client.lockBuilder(key)
                    .leaseTtl(s == 0 ? null : Duration.ofSeconds(s)).build());
        }
    }

    private void touch() {
        lastUsedNanos = System.nanoTime();
    }

    private static long nanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }
}
