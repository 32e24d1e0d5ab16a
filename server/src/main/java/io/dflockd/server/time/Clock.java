package io.dflockd.server.time;

/** Monotonic time source in nanoseconds, injectable so lease expiry can be tested exactly. */
@FunctionalInterface
public interface Clock {
    /** The system's monotonic clock. */
    Clock SYSTEM = System::nanoTime;

    /** Current monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();
}
