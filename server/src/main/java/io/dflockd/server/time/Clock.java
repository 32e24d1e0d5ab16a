package io.dflockd.server.time;

/** Monotonic time source in nanoseconds, injectable so lease expiry can be tested exactly. */
@FunctionalInterface
public interface Clock {
    /** The process's monotonic clock ({@link SystemClocks}: the system's, or a test-only skew of it). */
    Clock SYSTEM = SystemClocks::monotonicNanos;

    /** Current monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();
}
