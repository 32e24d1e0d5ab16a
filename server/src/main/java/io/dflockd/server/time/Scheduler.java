package io.dflockd.server.time;

/** Runs a task once after a delay. Injectable so tests can drive time by hand. */
@FunctionalInterface
public interface Scheduler {
    /**
     * Schedules {@code task} to run once, {@code delayNanos} from now on the scheduler's clock.
     *
     * @return a handle whose {@link Cancellable#cancel()} prevents the task from running
     */
    Cancellable schedule(Runnable task, long delayNanos);

    /**
     * Like {@link #schedule(Runnable, long)}, with a tie-break for tasks due at the same instant:
     * {@code (orderKind, orderId)}, a function of the lock state (e.g. a lease timer is
     * {@code (LEASE, fence)}). Timers run in the usual thread-per-loop way ignore it; a replicated
     * scheduler (cluster mode) needs it so that every replica, and a replica rebuilt from a snapshot,
     * runs simultaneous timers in one order.
     */
    default Cancellable schedule(Runnable task, long delayNanos, int orderKind, long orderId) {
        return schedule(task, delayNanos);
    }

    /** Order kind of a lease timer; its id is the holder's fence. */
    int LEASE = 0;
    /** Order kind of a blocking call's timeout; its id is the waiting owner's id (one blocking call per owner). */
    int WAIT_TIMEOUT = 1;
    /** Order kind of a cluster orphan's expiry (a client's slots kept for its stable reference); its id is the owner's id. */
    int ORPHAN = 2;

    /** Handle of a scheduled task. */
    @FunctionalInterface
    interface Cancellable {
        /** A handle that cancels nothing. */
        Cancellable NONE = () -> { };

        /** Prevents the task from running if it has not started; harmless otherwise. */
        void cancel();
    }
}
