package io.dflockd.server;

/** Why {@code dflockd} cannot start: the one line to print and the exit code ({@link ServerExitCodes}). */
final class StartupFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    StartupFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
