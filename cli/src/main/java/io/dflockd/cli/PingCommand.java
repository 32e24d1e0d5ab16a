package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdConnection;
import io.dflockd.client.DflockdException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dflockctl ping}: round-trip latency to each server. */
@Command(name = "ping", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        usageHelpWidth = 100,
        description = {"Connect to each of --servers and print the round-trip time of one 'ping' command",
            "(connection setup, including TLS and auth, is shown separately)."},
        footer = {"", "Example:", "  dflockctl --servers 10.0.0.1:6388,10.0.0.2:6388 ping",
            "", "Exit codes: 0 if every server answered; otherwise that of the first failure."})
final class PingCommand implements Callable<Integer> {
    @ParentCommand
    Main root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClientConfig config = root.clientConfig();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int code = ExitCodes.OK;
        for (InetSocketAddress server : config.servers()) {
            long start = System.nanoTime();
            try (DflockdConnection c = DflockdConnection.open(config, server)) {
                long connected = System.nanoTime();
                c.ping();
                long done = System.nanoTime();
                out.printf(Locale.ROOT, "%s: time=%.3f ms (connect %.3f ms)%n", ServerNames.format(server),
                        (done - connected) / 1e6, (connected - start) / 1e6);
                out.flush();
            } catch (DflockdException e) {
                int c = Errors.report(err, e);
                code = code == ExitCodes.OK ? c : code;
            }
        }
        return code;
    }
}
