package io.dflockd.bench.cli;

import io.dflockd.bench.load.ExpiryWorkload;
import io.dflockd.bench.load.FanoutWorkload;
import io.dflockd.bench.load.IdleWorkload;
import io.dflockd.bench.load.LocksWorkload;
import io.dflockd.bench.load.PingWorkload;
import io.dflockd.bench.load.RoundKinds;
import io.dflockd.bench.load.RunContext;
import io.dflockd.bench.load.SharedKeyWorkload;
import io.dflockd.bench.report.RunResult;
import io.dflockd.protocol.LockKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** One picocli subcommand per workload: parse and check options, run, print. */
final class WorkloadCommands {
    private WorkloadCommands() {
    }

    /** Shared plumbing: the common options and printing. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            RunContext ctx = common.context();
            for (RunResult r : run(ctx)) {
                common.print(r, spec.commandLine().getOut());
            }
            return 0;
        }

        abstract Iterable<RunResult> run(RunContext ctx) throws Exception;
    }

    @Command(name = "locks", mixinStandardHelpOptions = true,
            description = "W workers x R rounds of acquire+release, each worker on its own key, C connections per worker.")
    static final class Locks extends Base {
        @Option(names = {"-w", "--workers"}, defaultValue = "100", description = "Workers (default: ${DEFAULT-VALUE}).")
        int workers;
        @Option(names = {"-r", "--rounds"}, defaultValue = "500", description = "Rounds per worker (default: ${DEFAULT-VALUE}).")
        int rounds;
        @Option(names = {"-c", "--connections"}, defaultValue = "1",
                description = "Connections per worker, used in turn (default: ${DEFAULT-VALUE}).")
        int connections;
        @Option(names = "--lease", defaultValue = "0", description = "Lease seconds; 0 = server default (default: ${DEFAULT-VALUE}).")
        long lease;
        @Option(names = "--timeout", defaultValue = "10", description = "Acquire timeout seconds (default: ${DEFAULT-VALUE}).")
        long timeout;
        @Option(names = "--key-prefix", defaultValue = "bench-lock-", description = "Key prefix (default: ${DEFAULT-VALUE}).")
        String keyPrefix;
        @Option(names = "--ping-baseline", description = "First run ping with the same shape and report locks/ping.")
        boolean pingBaseline;
        @Option(names = "--repeat", defaultValue = "1",
                description = "Run (ping, locks) this many times in alternation; reports the median ratio (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Override
        Iterable<RunResult> run(RunContext ctx) throws Exception {
            return LocksWorkload.run(ctx, new LocksWorkload.Params(Check.atLeast("--workers", workers, 1),
                    Check.atLeast("--rounds", rounds, 1), Check.atLeast("--connections", connections, 1),
                    Check.atLeast("--timeout", timeout, 0), Check.atLeast("--lease", lease, 0), keyPrefix, pingBaseline,
                    Check.atLeast("--repeat", repeat, 1)));
        }
    }

    @Command(name = "ping", mixinStandardHelpOptions = true,
            description = "Bare ping round trips: the floor every other figure is compared to.")
    static final class Ping extends Base {
        @Option(names = {"-w", "--workers"}, defaultValue = "100", description = "Workers (default: ${DEFAULT-VALUE}).")
        int workers;
        @Option(names = {"-r", "--rounds"}, defaultValue = "1000", description = "Pings per worker (default: ${DEFAULT-VALUE}).")
        int rounds;
        @Option(names = {"-c", "--connections"}, defaultValue = "1", description = "Connections per worker (default: ${DEFAULT-VALUE}).")
        int connections;

        @Override
        Iterable<RunResult> run(RunContext ctx) throws Exception {
            return java.util.List.of(PingWorkload.run(ctx, new PingWorkload.Params(Check.atLeast("--workers", workers, 1),
                    Check.atLeast("--connections", connections, 1), Check.atLeast("--rounds", rounds, 1))));
        }
    }

    /**
     * The workloads on one shared key ({@link SharedKeyWorkload}): the acquire timeout and lease are
     * common; each command has its own workers, rounds and key defaults and says what a round takes.
     */
    abstract static class SharedKey extends Base {
        @Option(names = "--timeout", defaultValue = "30", description = "Acquire timeout seconds (default: ${DEFAULT-VALUE}).")
        long timeout;
        @Option(names = "--lease", defaultValue = "0", description = "Lease seconds; 0 = server default (default: ${DEFAULT-VALUE}).")
        long lease;

        Iterable<RunResult> run(RunContext ctx, int workers, int rounds, RoundKinds kinds, int limit, String key)
                throws InterruptedException {
            return java.util.List.of(SharedKeyWorkload.run(ctx, new SharedKeyWorkload.Params(
                    Check.atLeast("--workers", workers, 1), Check.atLeast("--rounds", rounds, 1), kinds, limit,
                    Check.atLeast("--timeout", timeout, 1), Check.atLeast("--lease", lease, 0), key)));
        }
    }

    @Command(name = "contended", mixinStandardHelpOptions = true,
            description = "W workers on one lock key: the FIFO hand-off rate.")
    static final class Contended extends SharedKey {
        @Option(names = {"-w", "--workers"}, defaultValue = "10", description = "Workers (default: ${DEFAULT-VALUE}).")
        int workers;
        @Option(names = {"-r", "--rounds"}, defaultValue = "2000", description = "Rounds per worker (default: ${DEFAULT-VALUE}).")
        int rounds;
        @Option(names = "--key", defaultValue = "bench-contended", description = "The key (default: ${DEFAULT-VALUE}).")
        String key;

        @Override
        Iterable<RunResult> run(RunContext ctx) throws Exception {
            return run(ctx, workers, rounds, RoundKinds.always(LockKind.LOCK), 0, key);
        }
    }

    @Command(name = "semaphore", mixinStandardHelpOptions = true,
            description = "W workers on one semaphore key with limit N.")
    static final class Semaphore extends SharedKey {
        @Option(names = {"-w", "--workers"}, defaultValue = "20", description = "Workers (default: ${DEFAULT-VALUE}).")
        int workers;
        @Option(names = {"-r", "--rounds"}, defaultValue = "1000", description = "Rounds per worker (default: ${DEFAULT-VALUE}).")
        int rounds;
        @Option(names = {"-n", "--limit"}, defaultValue = "5", description = "Semaphore limit (default: ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--key", defaultValue = "bench-semaphore", description = "The key (default: ${DEFAULT-VALUE}).")
        String key;

        @Override
        Iterable<RunResult> run(RunContext ctx) throws Exception {
            return run(ctx, workers, rounds, RoundKinds.always(LockKind.SEMAPHORE), Check.atLeast("--limit", limit, 1), key);
        }
    }

    @Command(name = "rwlock", mixinStandardHelpOptions = true,
            description = "W workers on one read-write lock key, each round reading (rl+rr) with probability F, else writing (wl+wr).")
    static final class RwLock extends SharedKey {
        @Option(names = {"-w", "--workers"}, defaultValue = "10", description = "Workers (default: ${DEFAULT-VALUE}).")
        int workers;
        @Option(names = {"-r", "--rounds"}, defaultValue = "2000", description = "Rounds per worker (default: ${DEFAULT-VALUE}).")
        int rounds;
        @Option(names = {"-f", "--read-fraction"}, defaultValue = "0.8",
                description = "Probability that a round reads, 0-1 (default: ${DEFAULT-VALUE}).")
        double readFraction;
        @Option(names = "--seed", defaultValue = "1",
                description = "Seed of the read/write draws; worker i's sequence depends only on it and i (default: ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--key", defaultValue = "bench-rwlock", description = "The key (default: ${DEFAULT-VALUE}).")
        String key;

        @Override
        Iterable<RunResult> run(RunContext ctx) throws Exception {
            return run(ctx, workers, rounds,
                    RoundKinds.readWrite(Check.between("--read-fraction", readFraction, 0, 1), seed), 0, key);
        }
    }

    @Command(name = "expiry", mixinStandardHelpOptions = true,
            description = "Holders that stop renewing: how late after the lease deadline the next waiter is granted.")
    static final class Expiry extends Base {
        @Option(names = {"-k", "--keys"}, defaultValue = "50", description = "Keys expiring in parallel (default: ${DEFAULT-VALUE}).")
        int keys;
        @Option(names = {"-r", "--rounds"}, defaultValue = "10", description = "Expiries per key (default: ${DEFAULT-VALUE}).")
        int rounds;
        @Option(names = "--lease", defaultValue = "1", description = "Lease seconds (default: ${DEFAULT-VALUE}).")
        long lease;
        @Option(names = "--key-prefix", defaultValue = "bench-expiry-", description = "Key prefix (default: ${DEFAULT-VALUE}).")
        String keyPrefix;

        @Override
        Iterable<RunResult> run(RunContext ctx) throws Exception {
            return java.util.List.of(ExpiryWorkload.run(ctx, new ExpiryWorkload.Params(Check.atLeast("--keys", keys, 1),
                    Check.atLeast("--rounds", rounds, 1), Check.atLeast("--lease", lease, 1), keyPrefix)));
        }
    }

    @Command(name = "fanout", mixinStandardHelpOptions = true,
            description = "1 publisher -> N listeners on one channel: deliveries/s and delivery latency.")
    static final class Fanout extends Base {
        @Option(names = {"-l", "--listeners"}, defaultValue = "100", description = "Listeners (default: ${DEFAULT-VALUE}).")
        int listeners;
        @Option(names = {"-s", "--signals"}, defaultValue = "20000", description = "Timed signals (default: ${DEFAULT-VALUE}).")
        int signals;
        @Option(names = "--window", defaultValue = "1",
                description = "Signals in flight (pipelined, needs --raw) (default: ${DEFAULT-VALUE}).")
        int window;
        @Option(names = "--channel", defaultValue = "bench.fanout", description = "Channel (default: ${DEFAULT-VALUE}).")
        String channel;

        @Override
        Iterable<RunResult> run(RunContext ctx) throws Exception {
            return java.util.List.of(FanoutWorkload.run(ctx, new FanoutWorkload.Params(
                    Check.atLeast("--listeners", listeners, 1), Check.atLeast("--signals", signals, 1),
                    Check.atLeast("--window", window, 1), ctx.warmup(), channel)));
        }
    }

    @Command(name = "idle", mixinStandardHelpOptions = true,
            description = "Open N idle connections and hold K locks; with --server-pid report RSS and CPU.")
    static final class Idle extends Base {
        @Option(names = {"-n", "--connections"}, defaultValue = "10000", description = "Connections (default: ${DEFAULT-VALUE}).")
        int connections;
        @Option(names = {"-k", "--locks"}, defaultValue = "0", description = "Locks to hold (default: ${DEFAULT-VALUE}).")
        int locks;
        @Option(names = "--lease", defaultValue = "600", description = "Lease seconds of the held locks (default: ${DEFAULT-VALUE}).")
        long lease;
        @Option(names = "--hold", defaultValue = "10", description = "Seconds to hold everything (default: ${DEFAULT-VALUE}).")
        long hold;
        @Option(names = "--ping-interval", defaultValue = "10",
                description = "Keep-alive ping period, below the server's read timeout (default: ${DEFAULT-VALUE}).")
        long pingInterval;
        @Option(names = "--setup-threads", defaultValue = "8", description = "Set-up threads (default: ${DEFAULT-VALUE}).")
        int setupThreads;
        @Option(names = "--key-prefix", defaultValue = "bench-idle-", description = "Key prefix (default: ${DEFAULT-VALUE}).")
        String keyPrefix;

        @Override
        Iterable<RunResult> run(RunContext ctx) throws Exception {
            return java.util.List.of(IdleWorkload.run(ctx, new IdleWorkload.Params(Check.atLeast("--connections", connections, 1),
                    Check.atLeast("--locks", locks, 0), Check.atLeast("--lease", lease, 1), Check.atLeast("--hold", hold, 0),
                    Check.atLeast("--ping-interval", pingInterval, 1), Check.atLeast("--setup-threads", setupThreads, 1),
                    keyPrefix)));
        }
    }
}
