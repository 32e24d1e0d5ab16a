package io.dflockd.cli;

import io.dflockd.client.AcquireTimeoutException;
import io.dflockd.client.AuthException;
import io.dflockd.client.DflockdException;
import io.dflockd.client.DflockdIOException;
import java.io.PrintWriter;
import java.util.regex.Pattern;

/**
 * Maps any failure to dflockctl's contract: exactly one line {@code dflockctl: <message>} on
 * stderr and a documented exit code. Stack traces never reach the user; they would hide the one
 * sentence that says what to fix.
 */
final class Errors {
    static final String PREFIX = "dflockctl: ";
    /** A fully qualified exception class name that the JDK embeds in its messages ("sun.security…Exception: "). */
    private static final Pattern QUALIFIED_EXCEPTION =
            Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ");
    /**
     * The client's two wordings of an {@code error_auth} reply: to the {@code auth} request (a wrong
     * token) and to the first command (no token sent), which also names that command.
     */
    private static final Pattern AUTH_REJECTED = Pattern.compile("error_auth|wrong or missing auth token");
    static final String AUTH_REJECTED_MESSAGE =
            "authentication failed: wrong or missing auth token (see --auth-token-file)";

    private Errors() {
    }

    /** The exit code for {@code e} (see {@link ExitCodes}). */
    static int exitCode(Throwable e) {
        if (e instanceof CliException) {
            return ((CliException) e).exitCode();
        }
        if (e instanceof AuthException) {
            return ExitCodes.AUTH_REJECTED;
        }
        if (e instanceof DflockdIOException) {
            return ExitCodes.UNAVAILABLE;
        }
        if (e instanceof AcquireTimeoutException) {
            return ExitCodes.NOT_ACQUIRED;
        }
        if (e instanceof DflockdException) {
            return ExitCodes.SERVER_ERROR;
        }
        if (e instanceof IllegalArgumentException) {
            return ExitCodes.USAGE; // the library validates keys, channels, payloads before any I/O
        }
        return ExitCodes.INTERNAL;
    }

    /** The message for {@code e}, on one line. */
    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        if (exitCode(e) == ExitCodes.INTERNAL && !(e instanceof CliException)) {
            return oneLine("internal error: " + e.getClass().getSimpleName() + ": " + m);
        }
        if (e instanceof AuthException && ((AuthException) e).server() != null && AUTH_REJECTED.matcher(m).find()) {
            // One sentence whichever subcommand met the rejection (ping, stats, lock, ...).
            return ServerNames.format(((AuthException) e).server()) + ": " + AUTH_REJECTED_MESSAGE;
        }
        m = QUALIFIED_EXCEPTION.matcher(m).replaceAll("");
        if (m.contains("PKIX path building failed") || m.contains("No subject alternative")) {
            m += " (the server's certificate is not trusted for this host name; pass its CA with --cacert)";
        }
        return oneLine(m);
    }

    /** Collapses line breaks so a message never spans lines. */
    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
    }

    /** Prints {@code e} as the single error line and returns its exit code. */
    static int report(PrintWriter err, Throwable e) {
        err.println(PREFIX + message(e));
        err.flush();
        return exitCode(e);
    }

    /** Prints a warning line that does not end the program. */
    static void warn(PrintWriter err, String message) {
        err.println(PREFIX + "warning: " + oneLine(message));
        err.flush();
    }
}
