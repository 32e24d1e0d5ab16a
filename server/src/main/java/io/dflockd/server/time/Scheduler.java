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

    /** Handle of a scheduled task. */
    @FunctionalInterface
    interface Cancellable {
        /** A handle that cancels nothing. */
        Cancellable NONE = () -> { };

        /** Prevents the task from running if it has not started; harmless otherwise. */
        void cancel();
    }
}
