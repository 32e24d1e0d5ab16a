package io.dflockd.bench.load;

import io.dflockd.bench.report.Latency;
import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.wire.DataSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code data --op incr}: every round of every worker is one {@code incr} of the same counter by 1,
 * so the server serialises them all on one key. Checks: the values one worker sees only grow, and
 * the counter grew by exactly the number of {@code incr}s answered (warm-up included). Nothing else
 * may change the counter during the run.
 */
final class CounterWorkload {
    private CounterWorkload() {
    }

    static RunResult run(RunContext ctx, DataWorkload.Params p, RunResult result)
            throws InterruptedException, IOException {
        String key = p.key();
        ErrorTally errors = new ErrorTally();
        Latency incrs = new Latency();
        AtomicLong answered = new AtomicLong();
        long before;
        try (DataSession control = DataWorkload.control(ctx, key)) {
            before = control.get(key);
        }
        List<DataWorker> workers = new ArrayList<>();
        for (int i = 0; i < p.workers(); i++) {
            workers.add(new DataWorker(ctx, errors, key, p.connections(), p.rounds()) {
                private final Latency local = new Latency();
                private long answeredHere;
                private long lastSeen = Long.MIN_VALUE;

                @Override
                protected boolean round(int r, DataSession s) throws IOException {
                    long t0 = System.nanoTime();
                    long value = s.incr(key, 1);
                    long t1 = System.nanoTime();
                    answeredHere++;
                    if (value <= lastSeen) {
                        errors.add("incr " + key + " answered " + value + " after " + lastSeen);
                        return false;
                    }
                    lastSeen = value;
                    if (timing) {
                        local.record(t1 - t0);
                    }
                    return true;
                }

                @Override
                protected void finish() {
                    incrs.merge(local);
                    answered.addAndGet(answeredHere);
                }
            });
        }
        String loadBefore = RunContext.loadAverage();
        WorkerPool.Timing t = new WorkerPool(ctx).run(workers, errors);
        result.throughput("incrs", SessionWorkers.completed(workers), t.elapsedNanos());
        result.latency("incr", incrs);
        long after;
        try (DataSession control = DataWorkload.control(ctx, key)) {
            after = control.get(key);
        }
        if (after - before != answered.get()) {
            errors.add("counter " + key + " went from " + before + " to " + after + ", but " + answered.get()
                    + " incr were answered");
        }
        PingWorkload.finish(result, t, errors, loadBefore);
        return result;
    }
}
