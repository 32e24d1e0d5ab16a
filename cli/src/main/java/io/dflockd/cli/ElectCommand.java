package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.LeaseLostListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dflockctl elect NAME [options] -- CMD [ARGS…]}: run a command while leading an election. */
@Command(name = "elect", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {"Wait to become leader of the election NAME, then run CMD while leading, renewing the",
            "term's lease in the background. If leadership is lost CMD is stopped (SIGTERM, SIGKILL after",
            "--kill-after). When CMD exits, dflockctl resigns and exits with CMD's status. DFLOCKD_FENCE",
            "is the term's fence: larger than every earlier leader's."},
        footer = {"", "Examples:", "  dflockctl elect scheduler --timeout 1h -- ./run-scheduler.sh",
            "  dflockctl elect compactor --timeout 0 -- sh -c 'echo term=$DFLOCKD_FENCE; ./compact'",
            "", "Exit codes: 75 not leader within --timeout; 79 leadership lost and CMD terminated;",
            "127 CMD not found; otherwise CMD's status (128+N if signal N ended it)."})
final class ElectCommand extends HoldingCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The election's name (a key)")
    String name;

    @Override
    HeldLease lease(ClientConfig config, LeaseLostListener listener) {
        return HeldLease.election(name, config, hold.timeout, hold.lease, listener);
    }
}
