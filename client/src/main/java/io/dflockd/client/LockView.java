package io.dflockd.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/** The {@link Lock} view of a lock or semaphore ({@code asLock()}). */
final class LockView implements Lock {
    private final LeaseCore core;
    @SuppressWarnings("unused") // keeps the owner (and so its Cleaner registration) alive with the view
    private final Object owner;

    LockView(LeaseCore core, Object owner) {
        this.core = core;
        this.owner = owner;
    }

    @Override
    public void lock() {
        while (!core.acquire(core.acquireTimeout, null)) {
            // timed out on the server: ask again (a new request joins the back of the queue)
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (awaitInterruptibly(core.acquireTimeout)) {
                return;
            }
        }
    }

    @Override
    public boolean tryLock() {
        return core.acquire(Duration.ZERO, null);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Duration d = time <= 0 ? Duration.ZERO : Duration.of(time, unit.toChronoUnit());
        return awaitInterruptibly(d);
    }

    private boolean awaitInterruptibly(Duration timeout) throws InterruptedException {
        CompletableFuture<Boolean> f = core.async(op -> core.acquire(timeout, op), held -> {
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
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new DflockdException(core.server, "acquire failed", c);
        }
    }

    @Override
    public void unlock() {
        if (!core.isHeld()) {
            throw new IllegalMonitorStateException(core.kind + " '" + core.key + "' is not held");
        }
        core.release();
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("dflockd locks do not support conditions: the protocol has no"
                + " server-side wait/notify; use signals (SignalConn) to notify other processes");
    }

    @Override
    public String toString() {
        return "Lock view of " + core.kind + " '" + core.key + "'" + (core.isHeld() ? " (held)" : "");
    }
}
