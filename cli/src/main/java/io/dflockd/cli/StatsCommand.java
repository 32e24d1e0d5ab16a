package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdConnection;
import io.dflockd.client.DflockdException;
import io.dflockd.protocol.Stats;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dflockctl stats [--json] [--watch]}: what each server holds right now. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {"Show each server's connections, locks (holder, lease left, waiters), semaphores,",
            "idle keys and signal channels."},
        footer = {"", "Examples:", "  dflockctl stats", "  dflockctl stats --watch",
            "  dflockctl stats --json | jq '.servers[].locks[] | select(.waiters > 0)'",
            "", "With several --servers, each is asked; one that fails is reported and the exit code is",
            "that of the first failure (69 unreachable, 77 auth rejected, 76 server error)."})
final class StatsCommand implements Callable<Integer> {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";
    private static final long WATCH_PERIOD_MS = 1000;

    @ParentCommand
    Main root;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object {\"servers\":[{\"server\":…, <stats fields>}]}")
    boolean json;

    @Option(names = "--watch",
            description = "Refresh every second until interrupted (with --json: one object per line)")
    boolean watch;

    @Override
    public Integer call() throws InterruptedException {
        ClientConfig config = root.clientConfig();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!watch) {
            List<Result> results = fetchAll(config);
            out.print(render(results));
            out.flush();
            int code = ExitCodes.OK;
            for (Result r : results) {
                if (r.failure != null) {
                    Errors.report(err, r.failure);
                    code = code == ExitCodes.OK ? Errors.exitCode(r.failure) : code;
                }
            }
            return code;
        }
        while (!Thread.currentThread().isInterrupted()) { // Ctrl-C ends the JVM; there is no other way out
            List<Result> results = fetchAll(config);
            if (json) {
                out.print(render(results));
            } else {
                out.print(CLEAR_SCREEN + "dflockctl stats --watch   " + LocalTime.now().format(
                        DateTimeFormatter.ofPattern("HH:mm:ss")) + "   (Ctrl-C to stop)\n\n" + render(results));
            }
            out.flush();
            Thread.sleep(WATCH_PERIOD_MS);
        }
        return ExitCodes.OK;
    }

    private String render(List<Result> results) {
        if (json) {
            List<StatsJson.Entry> entries = new ArrayList<>();
            for (Result r : results) {
                String error = r.failure == null ? null : Errors.message(r.failure);
                entries.add(new StatsJson.Entry(r.server, r.stats, error));
            }
            return StatsJson.render(entries) + "\n";
        }
        StringBuilder s = new StringBuilder();
        for (Result r : results) {
            if (r.stats != null) {
                s.append(StatsText.render(r.server, r.stats));
            } else if (watch) { // in watch mode the error shows in place; it may recover next second
                s.append("server ").append(r.server).append("   ERROR: ").append(Errors.message(r.failure))
                        .append("\n\n");
            }
        }
        return s.toString();
    }

    private static List<Result> fetchAll(ClientConfig config) {
        List<Result> results = new ArrayList<>();
        for (InetSocketAddress server : config.servers()) {
            String name = ServerNames.format(server);
            try (DflockdConnection c = DflockdConnection.open(config, server)) {
                results.add(new Result(name, c.stats(), null));
            } catch (DflockdException e) {
                results.add(new Result(name, null, e));
            }
        }
        return results;
    }

    /** One server's stats or failure. */
    private record Result(String server, Stats stats, DflockdException failure) {
    }
}
