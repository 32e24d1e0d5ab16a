package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.LeaseLostListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dflockctl sem KEY --limit N [options] -- CMD [ARGS…]}: run a command holding a semaphore slot. */
@Command(name = "sem", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {"Run CMD while holding one of the N slots of the semaphore KEY, renewing its lease.",
            "The slot is released when CMD exits; dflockctl exits with CMD's status."},
        footer = {"", "Example (at most 3 concurrent encoders):",
            "  dflockctl sem encoders --limit 3 --timeout 5m -- ffmpeg -i in.mov out.mp4",
            "", "Exit codes: as for 'lock'; 76 also when --limit differs from the semaphore's limit."})
final class SemCommand extends HoldingCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The semaphore's key")
    String key;

    @Option(names = "--limit", required = true, paramLabel = "N",
            description = "Number of slots; every user of KEY must use the same limit")
    int limit;

    @Override
    HeldLease lease(ClientConfig config, LeaseLostListener listener) {
        if (limit < 1) {
            throw new CliException(ExitCodes.USAGE, "--limit must be at least 1, got " + limit);
        }
        return HeldLease.semaphore(key, limit, config, hold.timeout, hold.lease, listener);
    }
}
