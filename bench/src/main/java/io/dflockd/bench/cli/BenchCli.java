package io.dflockd.bench.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dflockd-bench} command line: one subcommand per workload, plus {@code jmh}, which
 * hands its arguments to the JMH runner for the microbenchmarks in this jar. Bad input gives a
 * one-line message and exit code 2; a run that fails (server unreachable, set-up failed) exit 1.
 */
@Command(name = "dflockd-bench", mixinStandardHelpOptions = true, version = "dflockd-bench 0.1.0",
        description = "Load tool for dflockd servers (ours or upstream) and JMH microbenchmarks.",
        footer = {"", "  jmh [JMH options]  Run the JMH microbenchmarks in this jar (e.g. 'jmh -l' lists them).",
                "", "See docs/BENCHMARKS.md for the recorded figures and the exact commands."},
        subcommands = {WorkloadCommands.Locks.class, WorkloadCommands.Contended.class, WorkloadCommands.Semaphore.class,
                WorkloadCommands.RwLock.class, WorkloadCommands.Ping.class, WorkloadCommands.Expiry.class,
                WorkloadCommands.Fanout.class, WorkloadCommands.Idle.class, DataCommand.class})
public final class BenchCli implements Runnable {
    static final int BAD_INPUT = 2;
    static final int RUN_FAILED = 1;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing workload (try --help)");
    }

    /** Runs the tool; returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return 0;
        }
        CommandLine cli = new CommandLine(new BenchCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("dflockd-bench: " + e.getMessage());
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                // Check.BadOptionException, or a combination of options a workload refuses.
                err.println("dflockd-bench: " + e.getMessage());
                return BAD_INPUT;
            }
            err.println("dflockd-bench: " + e.getMessage());
            return RUN_FAILED;
        });
        return cli.execute(args);
    }
}
