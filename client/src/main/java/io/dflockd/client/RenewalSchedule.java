package io.dflockd.client;

import java.util.concurrent.ThreadLocalRandom;

/** When the next renewal of a held lease is due (PROTOCOL.md §14.6). */
final class RenewalSchedule {
    /** Renewal period when the server reports a zero lease. */
    static final long ZERO_LEASE_FALLBACK_MS = 30_000;
    /** Renewal period cap, below the server's 23 s default read timeout. */
    static final long MAX_RENEW_PERIOD_MS = 15_000;
    /** Shortest renewal period. */
    static final long MIN_RENEW_PERIOD_MS = 100;
    /** With jitter, a renewal comes up to this fraction of the period early. */
    static final double MAX_JITTER = 0.1;

    private RenewalSchedule() {
    }

    /** The period without jitter: {@code lease × ratio}, capped to [100 ms, 15 s]. */
    static long periodMs(long leaseSeconds, double ratio) {
        long ms = leaseSeconds <= 0 ? ZERO_LEASE_FALLBACK_MS : (long) (leaseSeconds * 1000.0 * ratio);
        return Math.max(MIN_RENEW_PERIOD_MS, Math.min(MAX_RENEW_PERIOD_MS, ms));
    }

    /** The delay to the next renewal under {@code config}. */
    static long delayMs(long leaseSeconds, ClientConfig config) {
        long period = periodMs(leaseSeconds, config.renewRatio());
        if (!config.renewJitter()) {
            return period;
        }
        return period - (long) (period * ThreadLocalRandom.current().nextDouble(MAX_JITTER));
    }
}
