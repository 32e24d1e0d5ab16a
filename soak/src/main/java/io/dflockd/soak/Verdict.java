package io.dflockd.soak;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The run's verdict: the first invariant violation wins and stops the run; later ones are ignored so
 * the report names the root cause, not its echoes.
 */
public final class Verdict {
    private final AtomicReference<String> firstViolation = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Records a violation (only the first is kept) and asks every thread to stop. */
    public void violation(String invariant, String detail) {
        if (firstViolation.compareAndSet(null, invariant + ": " + detail)) {
            stopped.countDown();
        }
    }

    /** The first violation, or {@code null} if none happened. */
    public String firstViolation() {
        return firstViolation.get();
    }

    /** Whether the run should stop (a violation happened or {@link #stop()} was called). */
    public boolean stopping() {
        return stopped.getCount() == 0;
    }

    /** Asks every thread to stop without recording a violation (duration reached). */
    public void stop() {
        stopped.countDown();
    }

    /** Waits up to {@code nanos} for a stop; returns whether the run is stopping. */
    public boolean awaitStop(long nanos) throws InterruptedException {
        return stopped.await(nanos, TimeUnit.NANOSECONDS);
    }
}
