package io.dflockd.bench.cli;

import io.dflockd.bench.load.DataWorkload;
import io.dflockd.bench.load.RunContext;
import io.dflockd.bench.report.RunResult;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code data}: counters, KV entries and lists under load ({@link DataWorkload}). */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"W workers x R rounds on C connections each, on the data commands; raw client only "
                + "(needs --raw: the Java client library is not measured here).",
            "--op incr: each round is one incr by 1 of ONE shared counter (the hot key); at the end the counter "
                + "must have grown by exactly the incrs answered.",
            "--op kv: each round is a kset of the worker's own entry <key>-<worker> to a fresh value and a kget "
                + "that must return it.",
            "--op queue: half the workers rpush unique items onto ONE shared list, the other half blpop them; "
                + "the rate is items moved; every item must be popped exactly once and the list end empty."})
final class DataCommand extends WorkloadCommands.Base {
    @Option(names = "--op", required = true, paramLabel = "incr|kv|queue", description = "What a round does.")
    String op;
    @Option(names = {"-w", "--workers"}, defaultValue = "10",
            description = "Workers; even for queue (default: ${DEFAULT-VALUE}).")
    int workers;
    @Option(names = {"-r", "--rounds"}, defaultValue = "2000", description = "Rounds per worker (default: ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = {"-c", "--connections"}, defaultValue = "1",
            description = "Connections per worker, used in turn (default: ${DEFAULT-VALUE}).")
    int connections;
    @Option(names = "--key", defaultValue = "bench-data",
            description = "The counter (incr), entry prefix (kv) or list (queue) (default: ${DEFAULT-VALUE}).")
    String key;
    @Option(names = "--pop-timeout", defaultValue = "10",
            description = "Seconds a blpop waits for an item (queue) (default: ${DEFAULT-VALUE}).")
    long popTimeout;

    @Override
    Iterable<RunResult> run(RunContext ctx) throws Exception {
        DataWorkload.Op parsed = DataWorkload.Op.parse(op);
        int min = parsed == DataWorkload.Op.QUEUE ? 2 : 1;
        return List.of(DataWorkload.run(ctx, new DataWorkload.Params(parsed, Check.atLeast("--workers", workers, min),
                Check.atLeast("--connections", connections, 1), Check.atLeast("--rounds", rounds, 1), key,
                Check.atLeast("--pop-timeout", popTimeout, 1))));
    }
}
