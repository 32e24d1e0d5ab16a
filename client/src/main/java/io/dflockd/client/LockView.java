package io.dflockd.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Lock} view of a {@link DistributedLock}, of one {@link DistributedSemaphore} slot or of
 * one side of a {@link DistributedReadWriteLock} ({@code asLock()}, {@code readLock()},
 * {@code writeLock()}), with the semantics of {@link ReentrantLock} across processes.
 *
 * <ul>
 *   <li><b>Reentrant per thread, with a hold count</b> (like Redisson's RLock and Curator's
 *       InterProcessMutex): the owning thread may lock again without a round trip, and the
 *       distributed lock is released by the {@code unlock()} that matches the first lock.
 *   <li><b>One owner thread at a time.</b> Other threads of this JVM wait for the owner locally (in
 *       arrival order) and only then join the server's FIFO queue.
 *   <li><b>FIFO is kept.</b> {@link #lock()} and {@link #lockInterruptibly()} wait with one request
 *       and no timeout, so a waiter never leaves and re-joins the back of the queue; an interrupt
 *       ({@code lockInterruptibly}, {@code tryLock(time, unit)}) withdraws the request by closing its
 *       connection. {@code tryLock()} never queues.
 *   <li><b>A lost lease is reported</b>: the outermost {@link #unlock()} after the lease was lost
 *       (see {@link LeaseLostListener}) frees the local hold and throws
 *       {@link IllegalMonitorStateException}, because the critical section was not protected.
 *   <li>{@link #close()} closes the underlying lock or semaphore (releasing it if held).
 * </ul>
 *
 * <p>Do not mix the view with the primitive's own {@code acquire}/{@code release} on one instance.
 * {@code asLock()} returns the same view every time, so its hold count is shared by all its users.
 */
public final class LockView implements Lock, AutoCloseable {
    private final LeaseCore core;
    private final DistributedPrimitive owner;
    private final ReentrantLock local = new ReentrantLock(true);

    LockView(LeaseCore core, DistributedPrimitive owner) {
        this.core = core;
        this.owner = owner;
    }

    /** Waits, uninterruptibly and for as long as it takes, in the key's FIFO queue. */
    @Override
    public void lock() {
        local.lock();
        if (local.getHoldCount() > 1) {
            return;
        }
        try {
            while (!core.acquire(Durations.UNTIL_GRANTED, null)) {
                // a century went by: ask again
            }
        } catch (RuntimeException | Error e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        local.lockInterruptibly();
        if (local.getHoldCount() > 1) {
            return;
        }
        try {
            while (!acquireInterruptibly(Durations.UNTIL_GRANTED)) {
                // a century went by: ask again
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            local.unlock();
            throw e;
        }
    }

    /** Takes the lock only if it is free and nobody queues for it; never waits. */
    @Override
    public boolean tryLock() {
        if (!local.tryLock()) {
            return false;
        }
        if (local.getHoldCount() > 1) {
            return true;
        }
        boolean held = false;
        try {
            held = core.acquire(Duration.ZERO, null);
            return held;
        } finally {
            if (!held) {
                local.unlock();
            }
        }
    }

    /**
     * Waits up to {@code time} (on the wire in whole seconds, rounded up) for the local owner and then
     * in the key's FIFO queue.
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, unit.toNanos(time));
        if (!local.tryLock(time, unit)) {
            return false;
        }
        if (local.getHoldCount() > 1) {
            return true;
        }
        boolean held = false;
        try {
            held = acquireInterruptibly(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            return held;
        } finally {
            if (!held) {
                local.unlock();
            }
        }
    }

    /** One acquire request that an interrupt withdraws (its connection is closed). */
    private boolean acquireInterruptibly(Duration timeout) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        CompletableFuture<Boolean> f = Op.submit(op -> core.acquire(timeout, op), held -> {
            if (held) {
                core.release();
            }
        });
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new DflockdException(core.server, "acquire failed", c);
        }
    }

    /**
     * Undoes one {@code lock}; the outermost releases on the server.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock, or (after
     *     freeing the local hold) if the lease was lost while it was held
     */
    @Override
    public void unlock() {
        if (!local.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(core.noun + " '" + core.key + "' is not held by this thread");
        }
        if (local.getHoldCount() > 1) {
            local.unlock();
            return;
        }
        boolean held = core.isHeld();
        try {
            core.release();
        } finally {
            local.unlock();
        }
        if (!held) {
            throw new IllegalMonitorStateException("the lease of " + core.noun + " '" + core.key
                    + "' was lost while this thread held it; the critical section was not protected");
        }
    }

    /** Whether the current thread holds this lock (at least once). */
    public boolean isHeldByCurrentThread() {
        return local.isHeldByCurrentThread();
    }

    /** How many times the current thread holds this lock without having unlocked it; 0 if not. */
    public int getHoldCount() {
        return local.getHoldCount();
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("dflockd locks do not support conditions: the protocol has no"
                + " server-side wait/notify; use signals (SignalConn) to notify other processes");
    }

    /** Closes the underlying lock or semaphore: releases it if held, and closes its connection. */
    @Override
    public void close() {
        owner.close();
    }

    @Override
    public String toString() {
        return "Lock view of " + core.noun + " '" + core.key + "'" + (core.isHeld() ? " (held)" : "");
    }
}
