package io.dflockd.bench.load;

import io.dflockd.bench.report.Latency;
import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.wire.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * W workers looping acquire + release on <em>one</em> key. As a lock ({@code contended}) every
 * grant after the first is a FIFO hand-off from a release to the next queued waiter, so the rate
 * is bounded by the server's release → grant → reply path. As a semaphore of limit N
 * ({@code semaphore}) up to N workers hold at once.
 */
public final class SharedKeyWorkload {
    /**
     * @param limit 0 for the lock commands ({@code l}/{@code r}); N ≥ 1 for {@code sl}/{@code sr} with that limit
     * @param timeoutSeconds how long an acquire may queue; must cover W × the hold-and-release time
     */
    public record Params(int workers, int rounds, int limit, long timeoutSeconds, long leaseSeconds, String key) {
    }

    private SharedKeyWorkload() {
    }

    public static RunResult run(RunContext ctx, Params p) throws InterruptedException {
        boolean semaphore = p.limit() > 0;
        RunResult result = ctx.result(semaphore ? "semaphore" : "contended")
                .parameter("workers", p.workers()).parameter("rounds", p.rounds())
                .parameter("key", p.key()).parameter("warmup", ctx.warmup());
        if (semaphore) {
            result.parameter("limit", p.limit());
        }
        ErrorTally errors = new ErrorTally();
        Latency acquires = new Latency();
        Latency releases = new Latency();
        List<SessionWorker> workers = new ArrayList<>();
        for (int i = 0; i < p.workers(); i++) {
            workers.add(new SessionWorker(ctx, errors, p.key(), 1, p.rounds()) {
                private final Latency acq = new Latency();
                private final Latency rel = new Latency();

                @Override
                protected boolean round(int r, Session s) throws IOException {
                    long t0 = System.nanoTime();
                    String token = semaphore
                            ? s.semAcquire(key, p.timeoutSeconds(), p.limit(), p.leaseSeconds())
                            : s.acquire(key, p.timeoutSeconds(), p.leaseSeconds());
                    long t1 = System.nanoTime();
                    if (token == null) {
                        errors.add(key + ": acquire timed out after " + p.timeoutSeconds() + " s");
                        return false;
                    }
                    if (semaphore) {
                        s.semRelease(key, token);
                    } else {
                        s.release(key, token);
                    }
                    if (timing) {
                        acq.record(t1 - t0);
                        rel.record(System.nanoTime() - t1);
                    }
                    return true;
                }

                @Override
                protected void finish() {
                    acquires.merge(acq);
                    releases.merge(rel);
                }
            });
        }
        String before = RunContext.loadAverage();
        WorkerPool.Timing t = new WorkerPool(ctx).run(workers, errors);
        result.throughput(semaphore ? "acquires" : "hand-offs", SessionWorkers.completed(workers), t.elapsedNanos());
        result.latency("acquire", acquires);
        result.latency("release", releases);
        PingWorkload.finish(result, t, errors, before);
        return result;
    }
}
