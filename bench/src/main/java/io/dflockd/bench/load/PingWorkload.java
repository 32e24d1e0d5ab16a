package io.dflockd.bench.load;

import io.dflockd.bench.report.Latency;
import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.wire.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ping}: bare request/reply round trips, the floor that every other figure is compared to.
 * Same shape as {@link LocksWorkload} (W workers, C connections each) so the two compare directly.
 */
public final class PingWorkload {
    /** @param roundTrips pings per worker */
    public record Params(int workers, int connections, int roundTrips) {
    }

    private PingWorkload() {
    }

    public static RunResult run(RunContext ctx, Params p) throws InterruptedException {
        RunResult result = ctx.result("ping")
                .parameter("workers", p.workers()).parameter("connections", p.connections())
                .parameter("round_trips", p.roundTrips()).parameter("warmup", ctx.warmup());
        ErrorTally errors = new ErrorTally();
        Latency total = new Latency();
        List<SessionWorker> workers = new ArrayList<>();
        for (int i = 0; i < p.workers(); i++) {
            workers.add(new SessionWorker(ctx, errors, "bench-ping-" + i, p.connections(), p.roundTrips()) {
                private final Latency local = new Latency();

                @Override
                protected boolean round(int r, Session s) throws IOException {
                    long t0 = System.nanoTime();
                    s.ping();
                    if (timing) {
                        local.record(System.nanoTime() - t0);
                    }
                    return true;
                }

                @Override
                protected void finish() {
                    total.merge(local);
                }
            });
        }
        String before = RunContext.loadAverage();
        WorkerPool.Timing t = new WorkerPool(ctx).run(workers, errors);
        result.throughput("round trips", SessionWorkers.completed(workers), t.elapsedNanos());
        result.latency("ping", total);
        result.figure("pair_rate_per_s", result.perSecond() / 2);
        finish(result, t, errors, before);
        return result;
    }

    /** Common tail of every workload: errors, server CPU, load averages. */
    static void finish(RunResult result, WorkerPool.Timing t, ErrorTally errors, String loadBefore) {
        result.errors(errors.count(), errors.first());
        if (t.serverCpuSeconds() != null) {
            result.serverCpuSeconds(t.serverCpuSeconds());
        }
        result.loadAverage(loadBefore, RunContext.loadAverage());
    }
}
