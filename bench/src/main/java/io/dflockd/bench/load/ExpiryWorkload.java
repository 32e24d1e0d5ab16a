package io.dflockd.bench.load;

import io.dflockd.bench.report.Latency;
import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.wire.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code expiry}: how late after a lease deadline the next waiter is granted. Per key, two
 * connections take turns: one holds with a short lease and never renews, the other queues with
 * {@code l} and a timeout and is granted when that lease runs out; then the roles swap. Lateness =
 * grant received − (previous grant received + lease). Both instants are taken on the client the same
 * way, so the reply-delivery delays largely cancel; a slightly negative value (a reply that reached
 * us late) is counted as "early" and recorded as 0.
 */
public final class ExpiryWorkload {
    /** @param keys keys expiring in parallel (one thread each) */
    public record Params(int keys, int rounds, long leaseSeconds, String keyPrefix) {
    }

    private ExpiryWorkload() {
    }

    public static RunResult run(RunContext ctx, Params p) throws InterruptedException {
        RunResult result = ctx.result("expiry")
                .parameter("keys", p.keys()).parameter("rounds", p.rounds())
                .parameter("lease_s", p.leaseSeconds());
        ErrorTally errors = new ErrorTally();
        Latency lateness = new Latency();
        AtomicLong early = new AtomicLong();
        AtomicLong grants = new AtomicLong();
        long leaseNanos = TimeUnit.SECONDS.toNanos(p.leaseSeconds());
        long waitSeconds = p.leaseSeconds() + 10;
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < p.keys(); i++) {
            String key = p.keyPrefix() + i;
            workers.add(new Worker() {
                private final Session[] pair = new Session[2];
                private final Latency local = new Latency();

                @Override
                public void prepare() throws Exception {
                    pair[0] = ctx.open(key);
                    pair[1] = ctx.open(key);
                }

                @Override
                public void measure() {
                    try {
                        if (pair[0].acquire(key, 0, p.leaseSeconds()) == null) {
                            errors.add(key + ": the first holder was not granted (key already held?)");
                            return;
                        }
                        long heldSince = System.nanoTime();
                        int waiter = 1;
                        for (int r = 0; r < p.rounds(); r++) {
                            if (pair[waiter].acquire(key, waitSeconds, p.leaseSeconds()) == null) {
                                errors.add(key + ": waiter not granted within " + waitSeconds + " s");
                                return;
                            }
                            long grantedAt = System.nanoTime();
                            long late = grantedAt - (heldSince + leaseNanos);
                            if (late < 0) {
                                early.incrementAndGet();
                            }
                            local.record(Math.max(0, late));
                            grants.incrementAndGet();
                            heldSince = grantedAt;
                            waiter = 1 - waiter;
                        }
                    } catch (Exception e) {
                        errors.add(key, e);
                    } finally {
                        lateness.merge(local);
                    }
                }

                @Override
                public void close() {
                    for (Session s : pair) {
                        if (s != null) {
                            s.close();
                        }
                    }
                }
            });
        }
        String before = RunContext.loadAverage();
        WorkerPool.Timing t = new WorkerPool(ctx).run(workers, errors);
        result.throughput("expiry hand-offs", grants.get(), t.elapsedNanos());
        result.latency("lateness", lateness);
        result.figure("early_samples", early.get());
        PingWorkload.finish(result, t, errors, before);
        return result;
    }
}
