package io.dflockd.client;

import io.dflockd.protocol.ProtocolLimits;
import java.time.Duration;
import java.util.Objects;

/** Conversion of {@link Duration}s to the whole seconds the wire carries (rounding up, like Go). */
final class Durations {
    /** Slack added to a blocking call's own timeout before the client gives up on the reply. */
    static final int REPLY_GRACE_MS = 30_000;

    /**
     * "Until granted" on the wire: a century, far inside both servers' range (Go's time.Duration
     * tops out near 292 years), so one request keeps its queue place for as long as anyone waits.
     */
    static final Duration UNTIL_GRANTED = Duration.ofDays(100L * 365);

    private Durations() {
    }

    /** Whole seconds of a timeout, sub-second parts rounded up; 0 allowed (try-lock / poll). */
    static long timeoutSeconds(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        long s = ceilSeconds(d);
        if (s > ProtocolLimits.MAX_SECONDS) {
            throw new IllegalArgumentException(what + " must be at most " + ProtocolLimits.MAX_SECONDS
                    + " seconds, got " + d);
        }
        return s;
    }

    /** Whole seconds of a lease TTL, rounded up; {@code null} → 0, meaning "omit, use server default". */
    static long leaseSeconds(Duration d) {
        if (d == null) {
            return 0;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("lease TTL must be positive, got " + d);
        }
        long s = ceilSeconds(d);
        if (s > ProtocolLimits.MAX_SECONDS) {
            throw new IllegalArgumentException("lease TTL must be at most " + ProtocolLimits.MAX_SECONDS
                    + " seconds, got " + d);
        }
        return s;
    }

    /** How long to wait for the reply of a call that may block {@code seconds} on the server; 0 = forever. */
    static int replyTimeoutMs(long seconds) {
        long ms = seconds * 1000L + REPLY_GRACE_MS;
        return seconds > Integer.MAX_VALUE / 1000 || ms > Integer.MAX_VALUE ? 0 : (int) ms;
    }

    private static long ceilSeconds(Duration d) {
        long s = d.getSeconds();
        return d.getNano() > 0 && s < Long.MAX_VALUE ? s + 1 : s;
    }
}
