package io.dflockd.bench.load;

import io.dflockd.bench.report.Latency;
import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.wire.DataSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code data --op kv}: every round of worker i is a {@code kset} of its own entry {@code <key>-i}
 * to a fresh value, then a {@code kget} of it on the same connection, which must return that value.
 * Values carry a stamp of the run, so a value left by an earlier run never passes for this one's.
 * The entries (no TTL) are deleted at the end.
 */
final class KvWorkload {
    private KvWorkload() {
    }

    static RunResult run(RunContext ctx, DataWorkload.Params p, RunResult result)
            throws InterruptedException, IOException {
        String stamp = Long.toString(System.nanoTime(), Character.MAX_RADIX);
        ErrorTally errors = new ErrorTally();
        Latency sets = new Latency();
        Latency gets = new Latency();
        Latency pairs = new Latency();
        List<DataWorker> workers = new ArrayList<>();
        for (int i = 0; i < p.workers(); i++) {
            workers.add(new DataWorker(ctx, errors, p.key() + "-" + i, p.connections(), p.rounds()) {
                private final Latency set = new Latency();
                private final Latency get = new Latency();
                private final Latency pair = new Latency();
                private final StringBuilder value = new StringBuilder();
                private long sequence;

                @Override
                protected boolean round(int r, DataSession s) throws IOException {
                    value.setLength(0);
                    value.append(stamp).append('.').append(sequence++);
                    long t0 = System.nanoTime();
                    s.kset(key, value);
                    long t1 = System.nanoTime();
                    String got = s.kget(key);
                    long t2 = System.nanoTime();
                    if (got == null || !got.contentEquals(value)) {
                        errors.add("kget " + key + " answered " + (got == null ? "nil" : "'" + got + "'")
                                + " after kset '" + value + "'");
                        return false;
                    }
                    if (timing) {
                        set.record(t1 - t0);
                        get.record(t2 - t1);
                        pair.record(t2 - t0);
                    }
                    return true;
                }

                @Override
                protected void finish() {
                    sets.merge(set);
                    gets.merge(get);
                    pairs.merge(pair);
                }
            });
        }
        String loadBefore = RunContext.loadAverage();
        WorkerPool.Timing t = new WorkerPool(ctx).run(workers, errors);
        result.throughput("pairs", SessionWorkers.completed(workers), t.elapsedNanos());
        result.latency("kset", sets);
        result.latency("kget", gets);
        result.latency("pair", pairs);
        for (DataWorker w : workers) {
            try (DataSession control = DataWorkload.control(ctx, w.key)) {
                control.kdel(w.key);
            }
        }
        PingWorkload.finish(result, t, errors, loadBefore);
        return result;
    }
}
