package io.dflockd.server.time;

import java.time.Instant;

/**
 * This process's monotonic and wall clocks, as every part of the server reads them (leases, timers,
 * a cluster leader's entry stamps, fence seeds). They are the system's, unless a test-only
 * {@link ClockSkew} was installed at start-up.
 */
public final class SystemClocks {
    private static volatile ClockSkew skew = ClockSkew.NONE;

    private SystemClocks() {
    }

    /** Installs {@code s} for the rest of the process's life (start-up only: readings jump once). */
    public static void install(ClockSkew s) {
        skew = s;
    }

    /** The monotonic clock in nanoseconds; only differences are meaningful. */
    public static long monotonicNanos() {
        return skew.monotonic(System.nanoTime());
    }

    /**
     * The wall clock as Unix nanoseconds.
     *
     * @throws ArithmeticException after the year 2262, when the value no longer fits a long
     */
    public static long wallNanos() {
        return skew.wall(rawWallNanos());
    }

    /** The system's wall clock as Unix nanoseconds; {@link Instant} because nanoTime has no fixed origin. */
    static long rawWallNanos() {
        Instant now = Instant.now();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }
}
