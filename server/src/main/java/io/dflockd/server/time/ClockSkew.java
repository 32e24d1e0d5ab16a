package io.dflockd.server.time;

import java.util.Map;

/**
 * A deliberate error of this process's clocks, for fault-injection tests only (CLUSTER-DESIGN.md §5.3):
 * both the monotonic and the wall clock read {@code origin + (raw − origin) · rate + offset}, where
 * {@code origin} is the raw reading when the skew was made. A rate stays positive, so a skewed
 * monotonic clock is still monotonic.
 *
 * <p>Set from the environment at start-up ({@link #fromEnvironment}); refused unless the operator
 * also sets {@code DFLOCKD_UNSAFE_TEST=1}, because a node whose clock runs fast ends its leases early.
 */
public final class ClockSkew {
    /** No skew: the system's clocks as they are. */
    public static final ClockSkew NONE = new ClockSkew(0, 1.0, 0, 0);

    static final String UNSAFE = "DFLOCKD_UNSAFE_TEST";
    static final String OFFSET = "DFLOCKD_UNSAFE_TEST_CLOCK_OFFSET_NS";
    static final String RATE = "DFLOCKD_UNSAFE_TEST_CLOCK_RATE";
    /** A week: far beyond any test, far from overflowing a nanosecond reading. */
    private static final long MAX_OFFSET_NANOS = 7L * 24 * 3600 * 1_000_000_000L;
    private static final double MIN_RATE = 0.5;
    private static final double MAX_RATE = 2.0;

    private final long offsetNanos;
    private final double rate;
    private final long monotonicOrigin;
    private final long wallOrigin;

    ClockSkew(long offsetNanos, double rate, long monotonicOrigin, long wallOrigin) {
        this.offsetNanos = offsetNanos;
        this.rate = rate;
        this.monotonicOrigin = monotonicOrigin;
        this.wallOrigin = wallOrigin;
    }

    /**
     * The skew the environment asks for, starting now, or {@link #NONE}. An empty variable counts as
     * unset.
     *
     * @throws IllegalArgumentException with a one-line message naming the variable, for a malformed or
     *     out-of-range value, or for a skew without {@code DFLOCKD_UNSAFE_TEST=1}
     */
    public static ClockSkew fromEnvironment(Map<String, String> env) {
        String offset = nonEmpty(env.get(OFFSET));
        String rate = nonEmpty(env.get(RATE));
        if (offset == null && rate == null) {
            return NONE;
        }
        if (!"1".equals(env.get(UNSAFE))) {
            throw new IllegalArgumentException((offset != null ? OFFSET : RATE) + " is for tests only and needs "
                    + UNSAFE + "=1");
        }
        long offsetNanos = offset == null ? 0 : parseOffset(offset);
        double r = rate == null ? 1.0 : parseRate(rate);
        return new ClockSkew(offsetNanos, r, System.nanoTime(), SystemClocks.rawWallNanos());
    }

    private static String nonEmpty(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    private static long parseOffset(String v) {
        try {
            long n = Long.parseLong(v.strip());
            if (Math.abs(n) <= MAX_OFFSET_NANOS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(OFFSET + " must be whole nanoseconds between -" + MAX_OFFSET_NANOS + " and "
                + MAX_OFFSET_NANOS + ", got '" + v + "'");
    }

    private static double parseRate(String v) {
        try {
            double r = Double.parseDouble(v.strip());
            if (r >= MIN_RATE && r <= MAX_RATE) {
                return r;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(RATE + " must be a number between " + MIN_RATE + " and " + MAX_RATE
                + ", got '" + v + "'");
    }

    /** The skewed monotonic reading for the raw {@link System#nanoTime()} {@code raw}. */
    long monotonic(long raw) {
        return apply(raw, monotonicOrigin);
    }

    /** The skewed wall reading (Unix nanoseconds) for the raw one. */
    long wall(long raw) {
        return apply(raw, wallOrigin);
    }

    private long apply(long raw, long origin) {
        long elapsed = raw - origin;
        return origin + (rate == 1.0 ? elapsed : Math.round(elapsed * rate)) + offsetNanos;
    }

    /** Whether this is a skew at all. */
    public boolean active() {
        return offsetNanos != 0 || rate != 1.0;
    }

    @Override
    public String toString() {
        return "offset " + offsetNanos + " ns, rate " + rate;
    }
}
