package io.dflockd.bench.load;

import io.dflockd.bench.report.Latency;
import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.wire.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code locks}: W workers × R rounds of acquire + release, each worker on its own key, spreading
 * its rounds over C connections — the upstream bench's workload, so results compare one to one.
 * Uncontended: every acquire is granted at once, so this measures per-request cost.
 */
public final class LocksWorkload {
    /**
     * @param leaseSeconds lease to ask for; 0 = server default
     * @param pingBaseline also run {@link PingWorkload} with the same shape first and report the ratio
     * @param repeat how many times to run (ping, locks) in alternation; on a shared box the median
     *     ratio of several alternations is far steadier than one
     */
    public record Params(int workers, int rounds, int connections, long timeoutSeconds, long leaseSeconds,
            String keyPrefix, boolean pingBaseline, int repeat) {
    }

    private LocksWorkload() {
    }

    /**
     * Runs the ping baseline (if asked) and the lock rounds, {@code repeat} times; returns the results
     * in that order. With a baseline and more than one repetition, the last locks result also
     * carries the median ratio.
     */
    public static List<RunResult> run(RunContext ctx, Params p) throws InterruptedException {
        List<RunResult> out = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        RunResult locks = null;
        for (int i = 0; i < p.repeat(); i++) {
            RunResult ping = null;
            if (p.pingBaseline()) {
                ping = PingWorkload.run(ctx, new PingWorkload.Params(p.workers(), p.connections(), 2 * p.rounds()));
                out.add(ping);
            }
            locks = runLocks(ctx, p);
            if (ping != null) {
                double pingPairs = ping.perSecond() / 2;
                double ratio = pingPairs == 0 ? 0.0 : locks.perSecond() / pingPairs;
                locks.figure("ping_pair_rate_per_s", pingPairs);
                locks.figure("ratio_to_ping", ratio);
                ratios.add(ratio);
            }
            out.add(locks);
        }
        if (ratios.size() > 1) {
            Collections.sort(ratios);
            int n = ratios.size();
            double median = n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
            locks.figure("median_ratio_to_ping", median);
            locks.figure("ratios_to_ping", ratios.toString());
        }
        return out;
    }

    private static RunResult runLocks(RunContext ctx, Params p) throws InterruptedException {
        RunResult result = ctx.result("locks")
                .parameter("workers", p.workers()).parameter("rounds", p.rounds())
                .parameter("connections", p.connections()).parameter("lease_s", p.leaseSeconds())
                .parameter("warmup", ctx.warmup());
        ErrorTally errors = new ErrorTally();
        Latency acquires = new Latency();
        Latency releases = new Latency();
        Latency pairs = new Latency();
        List<SessionWorker> workers = new ArrayList<>();
        for (int i = 0; i < p.workers(); i++) {
            workers.add(new SessionWorker(ctx, errors, p.keyPrefix() + i, p.connections(), p.rounds()) {
                private final Latency acq = new Latency();
                private final Latency rel = new Latency();
                private final Latency pair = new Latency();

                @Override
                protected boolean round(int r, Session s) throws IOException {
                    long t0 = System.nanoTime();
                    String token = s.acquire(key, p.timeoutSeconds(), p.leaseSeconds());
                    long t1 = System.nanoTime();
                    if (token == null) {
                        errors.add(key + ": acquire timed out on an uncontended key");
                        return false;
                    }
                    s.release(key, token);
                    long t2 = System.nanoTime();
                    if (timing) {
                        acq.record(t1 - t0);
                        rel.record(t2 - t1);
                        pair.record(t2 - t0);
                    }
                    return true;
                }

                @Override
                protected void finish() {
                    acquires.merge(acq);
                    releases.merge(rel);
                    pairs.merge(pair);
                }
            });
        }
        String before = RunContext.loadAverage();
        WorkerPool.Timing t = new WorkerPool(ctx).run(workers, errors);
        result.throughput("pairs", SessionWorkers.completed(workers), t.elapsedNanos());
        result.latency("acquire", acquires);
        result.latency("release", releases);
        result.latency("pair", pairs);
        PingWorkload.finish(result, t, errors, before);
        return result;
    }
}
