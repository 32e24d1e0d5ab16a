package io.dflockd.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code lock}, {@code rwlock}, {@code sem} and {@code elect}: how long to wait, the lease, and what happens to the
 * command when the lease is lost. (The command itself is a positional parameter of each subcommand:
 * picocli numbers positionals per class, so it cannot live in this mixin after the command's KEY.)
 */
public final class HoldOptions {
    /** What to do with the command when the lease is lost while it runs. */
    public enum OnLeaseLost {
        /** Send SIGTERM, then SIGKILL after the grace period; exit 79. */
        TERMINATE,
        /** Warn and let the command finish; exit with its status. */
        IGNORE
    }

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
            description = "How long to wait in the queue; 0 = try once without waiting (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--lease", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Lease to request, whole seconds; renewed in the background while the command runs "
                    + "(default: the server's, 33s)")
    Duration lease;

    @Option(names = "--on-lease-lost", paramLabel = "terminate|ignore", defaultValue = "terminate",
            description = "When renewal fails: terminate the command (exit 79) or ignore and let it finish "
                    + "(default: terminate)")
    OnLeaseLost onLeaseLost;

    @Option(names = "--kill-after", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "10s",
            description = "After SIGTERM, wait this long for the command before SIGKILL (default: ${DEFAULT-VALUE})")
    Duration killAfter;

    /** Description of the CMD parameter, shared by the commands that declare it. */
    static final String COMMAND_DESCRIPTION = "The command and its arguments (after --); it inherits stdin, stdout "
            + "and stderr and gets DFLOCKD_KEY, DFLOCKD_TOKEN and DFLOCKD_FENCE in its environment";

    /** Rejects values the library would refuse with a less helpful message. */
    void validate() {
        if (lease != null && (lease.isZero() || lease.isNegative())) {
            throw new CliException(ExitCodes.USAGE, "--lease must be positive, got " + DurationConverter.format(lease));
        }
    }
}
