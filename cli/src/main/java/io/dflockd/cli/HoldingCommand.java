package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.LeaseLostListener;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What {@code lock}, {@code rwlock}, {@code sem} and {@code elect} share: the {@link HoldOptions}
 * and running the command CMD under what the subcommand holds ({@link RunUnderLease}). Each declares its
 * own KEY, the positional before CMD.
 */
abstract class HoldingCommand implements Callable<Integer>, Main.RunsCommand {
    @ParentCommand
    Main root;

    @Spec
    CommandSpec spec;

    @Mixin
    HoldOptions hold;

    /** The command to run and its arguments: the positionals after each subcommand's KEY. */
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = HoldOptions.COMMAND_DESCRIPTION)
    List<String> command;

    /** What to hold while the command runs, not acquired yet, telling {@code listener} of its loss. */
    abstract HeldLease lease(ClientConfig config, LeaseLostListener listener);

    @Override
    public final Integer call() {
        ClientConfig config = root.clientConfig();
        return new RunUnderLease(hold, command, spec.commandLine().getErr()).run(listener -> lease(config, listener));
    }
}
