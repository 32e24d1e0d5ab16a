package io.dflockd.bench.load;

import io.dflockd.bench.report.Latency;
import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.wire.DataSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code data --op queue}: one shared list used as a queue. Workers 0 .. W/2-1 are producers, each
 * round an {@code rpush} of a unique item ({@link QueueLedger}); the others are consumers, each round
 * a {@code blpop} with the pop timeout. Both halves run the same rounds, so every item has its pop.
 * The rate is items moved (pops answered with an item) per second. Checks: the list is empty before
 * and after, and every pushed item was popped exactly once (warm-up included).
 */
final class QueueWorkload {
    private QueueWorkload() {
    }

    static RunResult run(RunContext ctx, DataWorkload.Params p, RunResult result)
            throws InterruptedException, IOException {
        String key = p.key();
        int producers = p.workers() / 2;
        QueueLedger ledger = new QueueLedger(producers, ctx.warmup() + p.rounds());
        try (DataSession control = DataWorkload.control(ctx, key)) {
            long left = control.llen(key);
            if (left != 0) {
                throw new IllegalStateException("the list " + key + " holds " + left
                        + " items before the run (left by an earlier one?): use another --key");
            }
        }
        ErrorTally errors = new ErrorTally();
        Latency pushes = new Latency();
        Latency pops = new Latency();
        List<DataWorker> producing = new ArrayList<>();
        List<DataWorker> consuming = new ArrayList<>();
        for (int i = 0; i < producers; i++) {
            producing.add(producer(ctx, p, errors, ledger, i, pushes));
            consuming.add(consumer(ctx, p, errors, ledger, pops));
        }
        List<DataWorker> all = new ArrayList<>(producing);
        all.addAll(consuming);
        String loadBefore = RunContext.loadAverage();
        WorkerPool.Timing t = new WorkerPool(ctx).run(all, errors);
        result.throughput("items", SessionWorkers.completed(consuming), t.elapsedNanos());
        result.latency("rpush", pushes);
        result.latency("blpop", pops);
        ledger.problems().forEach(errors::add);
        try (DataSession control = DataWorkload.control(ctx, key)) {
            long left = control.llen(key);
            if (left != 0) {
                errors.add("the list " + key + " holds " + left + " items after the run");
            }
        }
        PingWorkload.finish(result, t, errors, loadBefore);
        return result;
    }

    private static DataWorker producer(RunContext ctx, DataWorkload.Params p, ErrorTally errors, QueueLedger ledger,
            int index, Latency pushes) {
        return new DataWorker(ctx, errors, p.key(), p.connections(), p.rounds()) {
            private final QueueLedger.Book book = ledger.book();
            private final Latency local = new Latency();
            private final StringBuilder item = new StringBuilder();
            private int sequence;

            @Override
            protected boolean round(int r, DataSession s) throws IOException {
                int id = ledger.id(index, sequence++);
                item.setLength(0);
                item.append(QueueLedger.ITEM_PREFIX).append(id);
                long t0 = System.nanoTime();
                s.rpush(key, item);
                long t1 = System.nanoTime();
                book.pushed(id);
                if (timing) {
                    local.record(t1 - t0);
                }
                return true;
            }

            @Override
            protected void finish() {
                pushes.merge(local);
            }
        };
    }

    private static DataWorker consumer(RunContext ctx, DataWorkload.Params p, ErrorTally errors, QueueLedger ledger,
            Latency pops) {
        return new DataWorker(ctx, errors, p.key(), p.connections(), p.rounds()) {
            private final QueueLedger.Book book = ledger.book();
            private final Latency local = new Latency();

            @Override
            protected boolean round(int r, DataSession s) throws IOException {
                long t0 = System.nanoTime();
                String item = s.blpop(key, p.popTimeoutSeconds());
                long t1 = System.nanoTime();
                if (item == null) {
                    errors.add("blpop " + key + " got nothing in " + p.popTimeoutSeconds() + " s");
                    return false;
                }
                book.popped(item);
                if (timing) {
                    local.record(t1 - t0);
                }
                return true;
            }

            @Override
            protected void finish() {
                pops.merge(local);
            }
        };
    }
}
