package io.dflockd.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The current grant as far as the client can prove it: the token, the lease the server last
 * reported, and the deadline up to which the hold is certain. The deadline is counted from the
 * moment the granting or renewing request was <em>sent</em> (the server started the lease no
 * earlier), on the monotonic clock, so it errs on the short side and never on the long one.
 *
 * @param validUntilNanos {@link System#nanoTime()} value after which the hold is no longer proven
 * @param lost completed with the cause when this grant's lease is lost; cancelled when it ends by
 *     release or close
 */
record LeaseTerm(String token, long leaseSeconds, long validUntilNanos, CompletableFuture<Throwable> lost) {
    /** A lease the server reports as 0 has no deadline the client could watch. */
    private static final long NO_DEADLINE_NANOS = TimeUnit.DAYS.toNanos(365L * 100);

    static LeaseTerm granted(Grant g, long sentAtNanos) {
        return new LeaseTerm(g.token(), g.leaseSeconds(), deadline(sentAtNanos, g.leaseSeconds()),
                new CompletableFuture<>());
    }

    /** The same grant after a renewal that reported {@code seconds}, sent at {@code sentAtNanos}. */
    LeaseTerm renewed(long seconds, long sentAtNanos) {
        return new LeaseTerm(token, seconds, deadline(sentAtNanos, seconds), lost);
    }

    /** Whether the hold is proven at {@code nowNanos}. */
    boolean provenAt(long nowNanos) {
        return nowNanos - validUntilNanos < 0;
    }

    /** How long the hold stays proven from {@code nowNanos} (negative once it is not). */
    long remainingNanos(long nowNanos) {
        return validUntilNanos - nowNanos;
    }

    private static long deadline(long sentAtNanos, long seconds) {
        return sentAtNanos + (seconds > 0 ? TimeUnit.SECONDS.toNanos(seconds) : NO_DEADLINE_NANOS);
    }
}
