package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DataCommands;
import io.dflockd.client.DflockdConnection;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What {@code kv} and {@code counter} share: a subcommand is required, and each subcommand sends one
 * data command (PROTOCOL.md §6.16-6.17) for one key to the server that owns the key under the
 * client's sharding.
 */
abstract class DataCommand implements Runnable {
    @ParentCommand
    Main root;

    @Spec
    CommandSpec spec;

    /** The subcommands, as the usage error lists them: "get, set or del". */
    abstract String subcommands();

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: " + subcommands());
    }

    /** A subcommand of {@code kv} or {@code counter}: its key, its connection, its output. */
    abstract static class OnKey implements Callable<Integer> {
        @ParentCommand
        DataCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KEY", description = "The key")
        String key;

        /** Runs {@code call} on a connection to the server that owns the key. */
        final <T> T onServerOfKey(Function<DataCommands, T> call) {
            ClientConfig config = parent.root.clientConfig();
            try (DflockdConnection c = DflockdConnection.open(config, config.serverFor(key))) {
                return call.apply(c.data());
            }
        }

        /** Prints {@code line} on stdout; returns {@link ExitCodes#OK}. */
        final int print(Object line) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(line);
            out.flush();
            return ExitCodes.OK;
        }
    }
}
