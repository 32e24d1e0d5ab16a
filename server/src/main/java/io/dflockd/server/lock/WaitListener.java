package io.dflockd.server.lock;

/**
 * Receives the final outcome of a blocking call (l, sl, w, sw) that returned
 * {@link Outcome.Kind#PENDING}: GRANTED, TIMEOUT or ERROR. Called exactly once, never while the
 * manager holds a resource lock, possibly from another thread (a releasing connection or the timer).
 * Not called when the owner disconnects or the wait is cancelled by {@link LockManager#cancelWait}.
 */
@FunctionalInterface
public interface WaitListener {
    void onOutcome(Outcome outcome);
}
