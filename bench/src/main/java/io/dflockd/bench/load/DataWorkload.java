package io.dflockd.bench.load;

import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.wire.ClientKind;
import io.dflockd.bench.wire.DataSession;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code data}: the redis-feats data commands under load, W workers × R rounds on C connections each,
 * on the raw client only (the library client has no data commands in the bench).
 * <ul>
 * <li>{@link Op#INCR}: every round {@code incr}s one shared counter by 1, the hot-key case
 * ({@link CounterWorkload});
 * <li>{@link Op#KV}: every round {@code kset}s the worker's own entry to a fresh value and reads it
 * back with {@code kget} ({@link KvWorkload});
 * <li>{@link Op#QUEUE}: half the workers {@code rpush} onto one shared list, the other half
 * {@code blpop} from it ({@link QueueWorkload}).
 * </ul>
 * Each op checks its outcome against the server at the end; a wrong outcome is an error of the run.
 */
public final class DataWorkload {
    /** What a round does. */
    public enum Op {
        INCR, KV, QUEUE;

        /** The name on the command line and in the report. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for a name that is no op */
        public static Op parse(String name) {
            for (Op op : values()) {
                if (op.wire().equals(name)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("--op must be one of " + Arrays.stream(values()).map(Op::wire)
                    .collect(Collectors.joining(", ")) + ", got " + name);
        }
    }

    /**
     * @param key the shared counter ({@code incr}), the prefix of the workers' entries ({@code kv}:
     *     {@code <key>-<worker>}), or the shared list ({@code queue}); ASCII
     * @param popTimeoutSeconds how long a {@code blpop} waits for an item ({@code queue}); ≥ 1
     */
    public record Params(Op op, int workers, int connections, int rounds, String key, long popTimeoutSeconds) {
        public Params {
            if (op == Op.QUEUE && workers % 2 != 0) {
                throw new IllegalArgumentException("--op queue needs an even --workers (half push, half pop), got "
                        + workers);
            }
        }
    }

    private DataWorkload() {
    }

    public static RunResult run(RunContext ctx, Params p) throws InterruptedException, IOException {
        if (ctx.client() != ClientKind.RAW) {
            throw new IllegalArgumentException("data needs --raw (the library client has no data commands here)");
        }
        RunResult result = ctx.result("data-" + p.op().wire())
                .parameter("workers", p.workers()).parameter("connections", p.connections())
                .parameter("rounds", p.rounds()).parameter("key", p.key()).parameter("warmup", ctx.warmup());
        return switch (p.op()) {
            case INCR -> CounterWorkload.run(ctx, p, result);
            case KV -> KvWorkload.run(ctx, p, result);
            case QUEUE -> QueueWorkload.run(ctx, p, result.parameter("pop_timeout_s", p.popTimeoutSeconds()));
        };
    }

    /**
     * A connection for the checks before and after the timed phase, to the server owning {@code key}.
     * Opened afresh each time: a server closes a connection idle longer than its read timeout.
     */
    static DataSession control(RunContext ctx, String key) throws IOException {
        return DataSession.open(ctx.endpoints().serverFor(key));
    }
}
