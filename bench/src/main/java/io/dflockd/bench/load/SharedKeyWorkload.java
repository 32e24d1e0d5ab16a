package io.dflockd.bench.load;

import io.dflockd.bench.report.Latency;
import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.wire.Session;
import io.dflockd.protocol.LockKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * W workers looping acquire + release on <em>one</em> key. As a lock ({@code contended}) every
 * grant after the first is a FIFO hand-off from a release to the next queued waiter, so the rate
 * is bounded by the server's release → grant → reply path. As a semaphore of limit N
 * ({@code semaphore}) up to N workers hold at once. As a read-write lock ({@code rwlock}) each
 * round reads or writes as {@link RoundKinds} draws: readers share the key, a writer holds it alone.
 */
public final class SharedKeyWorkload {
    /**
     * @param kinds what each round acquires as: always a lock or a semaphore, or reads and writes
     * @param limit the semaphore's limit (≥ 1) when {@code kinds} is always {@link LockKind#SEMAPHORE}; else 0
     * @param timeoutSeconds how long an acquire may queue; must cover W × the hold-and-release time
     */
    public record Params(int workers, int rounds, RoundKinds kinds, int limit, long timeoutSeconds, long leaseSeconds,
            String key) {
        public Params {
            boolean semaphore = kinds.fixed() == LockKind.SEMAPHORE;
            if (semaphore ? limit < 1 : limit != 0) {
                throw new IllegalArgumentException(semaphore ? "a semaphore needs a limit >= 1, was " + limit
                        : "only a semaphore has a limit, was " + limit);
            }
        }
    }

    private SharedKeyWorkload() {
    }

    /** The workload's name in the report. */
    static String name(RoundKinds kinds) {
        if (kinds.readWrite()) {
            return "rwlock";
        }
        return kinds.fixed() == LockKind.SEMAPHORE ? "semaphore" : "contended";
    }

    /** An empty histogram for each kind the rounds may acquire as. */
    private static Map<LockKind, Latency> latencies(RoundKinds kinds) {
        Map<LockKind, Latency> m = new EnumMap<>(LockKind.class);
        kinds.possible().forEach(k -> m.put(k, new Latency()));
        return m;
    }

    public static RunResult run(RunContext ctx, Params p) throws InterruptedException {
        RoundKinds kinds = p.kinds();
        RunResult result = ctx.result(name(kinds))
                .parameter("workers", p.workers()).parameter("rounds", p.rounds())
                .parameter("key", p.key()).parameter("warmup", ctx.warmup());
        if (p.limit() > 0) {
            result.parameter("limit", p.limit());
        }
        if (kinds.readWrite()) {
            result.parameter("read_fraction", kinds.readFraction()).parameter("seed", kinds.seed());
        }
        ErrorTally errors = new ErrorTally();
        Map<LockKind, Latency> acquires = latencies(kinds);
        Latency releases = new Latency();
        List<SessionWorker> workers = new ArrayList<>();
        for (int i = 0; i < p.workers(); i++) {
            RoundKinds.Draw draw = kinds.forWorker(i);
            workers.add(new SessionWorker(ctx, errors, p.key(), 1, p.rounds()) {
                private final Map<LockKind, Latency> acq = latencies(kinds);
                private final Latency rel = new Latency();

                @Override
                protected boolean round(int r, Session s) throws IOException {
                    LockKind kind = draw.next();
                    long t0 = System.nanoTime();
                    String token = s.acquire(kind, key, p.timeoutSeconds(), p.limit(), p.leaseSeconds());
                    long t1 = System.nanoTime();
                    if (token == null) {
                        errors.add(key + ": " + kind.acquire().wire() + " timed out after " + p.timeoutSeconds() + " s");
                        return false;
                    }
                    s.release(kind, key, token);
                    if (timing) {
                        acq.get(kind).record(t1 - t0);
                        rel.record(System.nanoTime() - t1);
                    }
                    return true;
                }

                @Override
                protected void finish() {
                    acq.forEach((k, l) -> acquires.get(k).merge(l));
                    releases.merge(rel);
                }
            });
        }
        String before = RunContext.loadAverage();
        WorkerPool.Timing t = new WorkerPool(ctx).run(workers, errors);
        long done = SessionWorkers.completed(workers);
        if (kinds.readWrite()) {
            result.throughput("pairs", done, t.elapsedNanos());
            result.latency("acquire_read", acquires.get(LockKind.READ));
            result.latency("acquire_write", acquires.get(LockKind.WRITE));
            result.figure("reads", acquires.get(LockKind.READ).count());
            result.figure("writes", acquires.get(LockKind.WRITE).count());
        } else {
            result.throughput(kinds.fixed() == LockKind.SEMAPHORE ? "acquires" : "hand-offs", done, t.elapsedNanos());
            result.latency("acquire", acquires.get(kinds.fixed()));
        }
        result.latency("release", releases);
        PingWorkload.finish(result, t, errors, before);
        return result;
    }
}
