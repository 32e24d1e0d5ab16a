package io.dflockd.server;

/**
 * Exit codes of {@code dflockd} (listed in its {@code --help}). They match dflockctl's for the same
 * kinds of failure: 2 for a bad flag or environment value, 78 ({@code EX_CONFIG}, which systemd
 * also knows) for a file named by a setting that cannot be used.
 */
final class ServerExitCodes {
    /** Stopped on request. */
    static final int OK = 0;
    /** Could not start for a reason other than configuration: cannot listen, fence state file locked. */
    static final int CANNOT_START = 1;
    /** Unknown flag, malformed or out-of-range value in a flag or environment variable. */
    static final int USAGE = 2;
    /** A TLS or auth token file cannot be read or does not hold what it should. */
    static final int CONFIG = 78;

    private ServerExitCodes() {
    }
}
