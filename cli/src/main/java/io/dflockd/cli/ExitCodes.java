package io.dflockd.cli;

/**
 * Exit codes of {@code dflockctl} (documented in the README's exit-code table). The codes of our
 * own failures come from BSD {@code sysexits.h} where one fits, so shell scripts can tell "try
 * again later" (75) from "misconfigured" (78) without parsing messages. A command run under
 * {@code lock}/{@code sem} passes its own status through, which may coincide with these.
 */
public final class ExitCodes {
    /** Success, or the command under the lock exited 0. */
    public static final int OK = 0;
    /** {@code kv get} found no entry, as grep's "no match": nothing is printed. */
    public static final int NOT_FOUND = 1;
    /** Bad command line or environment value (picocli's usage-error code). */
    public static final int USAGE = 2;
    /** An unexpected failure inside dflockctl: a bug (EX_SOFTWARE). */
    public static final int INTERNAL = 70;
    /** The server cannot be reached, the TLS handshake failed, or the connection was lost (EX_UNAVAILABLE). */
    public static final int UNAVAILABLE = 69;
    /** The lock or semaphore slot was not granted, or {@code elect} did not lead, within {@code --timeout} (EX_TEMPFAIL). */
    public static final int NOT_ACQUIRED = 75;
    /** The server refused the request or broke the protocol (EX_PROTOCOL). */
    public static final int SERVER_ERROR = 76;
    /** The server rejected the auth token (EX_NOPERM). */
    public static final int AUTH_REJECTED = 77;
    /** A local file named by an option (CA certificate, token file) is unusable (EX_CONFIG). */
    public static final int CONFIG = 78;
    /**
     * The lease was lost while the command ran, and the command was terminated; for {@code elect},
     * the leadership was lost (renewal refused, connection lost, lease run out).
     */
    public static final int LEASE_LOST = 79;
    /** The command was found but could not be executed (shell convention). */
    public static final int CANNOT_EXECUTE = 126;
    /** The command was not found (shell convention). */
    public static final int COMMAND_NOT_FOUND = 127;

    private ExitCodes() {
    }
}
