package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.LeaseLostListener;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dflockctl rwlock KEY --read|--write [options] -- CMD [ARGS…]}: run a command holding one side of a read-write lock. */
@Command(name = "rwlock", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {"Run CMD while holding the read side (shared with other readers) or the write side (alone)",
            "of the read-write lock KEY, renewing its lease. Waiters are served in FIFO order: a waiting",
            "writer makes later readers wait. The side is released when CMD exits; dflockctl exits with",
            "CMD's status."},
        footer = {"", "Examples:", "  dflockctl rwlock catalog --read -- ./export-catalog.sh",
            "  dflockctl rwlock catalog --write --timeout 5m -- ./rebuild-catalog.sh",
            "", "Exit codes: as for 'lock'; 76 also when KEY is a lock or semaphore."})
final class RwLockCommand extends HoldingCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The read-write lock's key")
    String key;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Side side;

    /** Exactly one of {@code --read} and {@code --write}. */
    static final class Side {
        @Option(names = "--read", required = true, description = "Hold the read side: shared with other readers")
        boolean read;

        @Option(names = "--write", required = true, description = "Hold the write side: no other reader or writer")
        boolean write;
    }

    @Override
    HeldLease lease(ClientConfig config, LeaseLostListener listener) {
        return HeldLease.readWrite(key, side.write, config, hold.timeout, hold.lease, listener);
    }
}
