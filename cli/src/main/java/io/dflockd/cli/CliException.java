package io.dflockd.cli;

/**
 * A failure that dflockctl reports as one line on stderr and a specific exit code. Thrown anywhere
 * in a subcommand; {@link Errors} turns it into the message and the code.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode one of {@link ExitCodes}
     * @param message a single line without the {@code dflockctl: } prefix
     */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Same, keeping the underlying cause for debugging. */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code to use. */
    public int exitCode() {
        return exitCode;
    }
}
