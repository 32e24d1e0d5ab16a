package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.LeaseLostListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dflockctl lock KEY [options] -- CMD [ARGS…]}: run a command while holding a lock. */
@Command(name = "lock", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {"Run CMD while holding the lock KEY, renewing its lease in the background.",
            "The lock is released when CMD exits; dflockctl exits with CMD's status."},
        footer = {"", "Examples:", "  dflockctl lock nightly-backup -- /usr/local/bin/backup.sh",
            "  dflockctl lock deploy --timeout 0 -- sh -c 'echo fence=$DFLOCKD_FENCE; ./deploy'",
            "", "Exit codes: 75 not acquired in time; 79 lease lost and CMD terminated; 127 CMD not found;",
            "otherwise CMD's status (128+N if signal N ended it)."})
final class LockCommand extends HoldingCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The lock's key")
    String key;

    @Override
    HeldLease lease(ClientConfig config, LeaseLostListener listener) {
        return HeldLease.lock(key, config, hold.timeout, hold.lease, listener);
    }
}
