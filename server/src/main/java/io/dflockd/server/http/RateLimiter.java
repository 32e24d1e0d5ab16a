package io.dflockd.server.http;

import io.dflockd.server.time.Clock;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Upstream v1.16's per-IP token bucket ({@code --http-rate-limit-per-ip}, {@code --http-rate-limit-burst}):
 * a bucket of {@code burst} tokens per client IP refilled at {@code rate} per second; a request
 * without a token is {@code 429 rate_limited}. Buckets idle long enough to be full again are
 * dropped, checked at most once per {@link #SWEEP_NANOS}, so memory follows the active clients.
 */
final class RateLimiter {
    private static final long NANOS = 1_000_000_000L;
    static final long SWEEP_NANOS = 5 * 60 * NANOS;

    private final double rate;
    private final double burst;
    private final Clock clock;
    private final Map<InetAddress, Bucket> buckets = new HashMap<>();
    private long lastSweep;

    private static final class Bucket {
        double tokens;
        long last;
    }

    /** @param burst 0 = the same as {@code rate} (upstream's default) */
    private RateLimiter(int rate, int burst, Clock clock) {
        this.rate = rate;
        this.burst = burst > 0 ? burst : rate;
        this.clock = clock;
        this.lastSweep = clock.nanoTime();
    }

    /** A limiter, or {@code null} (no limit) when {@code rate} is 0. */
    static RateLimiter of(int rate, int burst, Clock clock) {
        return rate > 0 ? new RateLimiter(rate, burst, clock) : null;
    }

    /** Takes a token for {@code ip}; false when its bucket is empty. */
    synchronized boolean allow(InetAddress ip) {
        long now = clock.nanoTime();
        sweep(now);
        Bucket b = buckets.get(ip);
        if (b == null) {
            b = new Bucket();
            b.tokens = burst;
            b.last = now;
            buckets.put(ip, b);
        } else if (now - b.last > 0) {
            b.tokens = Math.min(burst, b.tokens + (now - b.last) * rate / NANOS);
            b.last = now;
        }
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    /** Number of IPs with a bucket (tests). */
    synchronized int tracked() {
        return buckets.size();
    }

    private void sweep(long now) {
        if (now - lastSweep < SWEEP_NANOS) {
            return;
        }
        lastSweep = now;
        long fullAfter = (long) Math.ceil(burst / rate * NANOS);
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (now - it.next().last >= fullAfter) {
                it.remove();
            }
        }
    }
}
