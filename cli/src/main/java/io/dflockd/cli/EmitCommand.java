package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdConnection;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dflockctl emit CHANNEL PAYLOAD}: publish one signal and print how many received it. */
@Command(name = "emit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        usageHelpWidth = 100,
        description = {"Publish PAYLOAD on CHANNEL and print the delivery count (each ungrouped listener and",
            "each queue group counts once). Signals go to the first of --servers, like the Java client's."},
        footer = {"", "Example:", "  dflockctl emit deploy.prod.done \"version 1.4.2\""})
final class EmitCommand implements Callable<Integer> {
    @ParentCommand
    Main root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHANNEL", description = "Channel name, dot-separated, no wildcards")
    String channel;

    @Parameters(index = "1", paramLabel = "PAYLOAD", description = "One line of text (quote it if it has spaces)")
    String payload;

    @Override
    public Integer call() {
        ClientConfig config = root.clientConfig();
        int delivered;
        try (DflockdConnection c = DflockdConnection.open(config)) {
            delivered = c.emitSignal(channel, payload);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(delivered);
        out.flush();
        return ExitCodes.OK;
    }
}
