package io.dflockd.server.net;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.Reply;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * {@code --debug}'s trace of the conversation: one line per request, one per reply. Every method
 * checks the level first, so with debug off a request costs one level check and no string is
 * built. The auth token is never written: the {@code auth} argument, and any argument sent before
 * authenticating (a mistyped command may carry the token), is redacted; so is a {@code stable-ref}'s
 * reference, with which anyone could claim the places its client leaves behind (upstream: "don't log them").
 */
final class RequestLog {
    private static final Logger LOG = System.getLogger(RequestLog.class.getName());
    private static final int MAX_SHOWN = 64;

    private RequestLog() {
    }

    static boolean enabled() {
        return LOG.isLoggable(Level.DEBUG);
    }

    /** {@code conn#3 request: l key="jobs" arg="10 30"}. */
    static void request(Object conn, Command command, String key, String arg, boolean authenticated) {
        if (!enabled()) {
            return;
        }
        boolean secret = !authenticated || command == Command.AUTH || command == Command.ADMIN;
        LOG.log(Level.DEBUG, conn + " request: " + name(command) + " key=" + shownKey(command, key)
                + " arg=" + (secret ? "<redacted>" : quoted(arg)));
    }

    /** {@code conn#3 reply: ok (to l key="jobs")}: the status word only, whatever follows it. */
    static void reply(Object conn, Reply reply, Command to, String key) {
        if (!enabled()) {
            return;
        }
        LOG.log(Level.DEBUG, conn + " reply: " + statusWord(reply) + " (to " + name(to) + " key=" + shownKey(to, key) + ")");
    }

    private static String shownKey(Command c, String key) {
        return c == Command.STABLE_REF ? "<redacted>" : quoted(key);
    }

    private static String name(Command c) {
        return c == null ? "<unknown command>" : c.wire();
    }

    private static String statusWord(Reply reply) {
        String line = reply.encode();
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    /** Quoted, control characters escaped (no forged log lines), long values cut. */
    private static String quoted(String v) {
        if (v == null) {
            return "\"\"";
        }
        StringBuilder s = new StringBuilder(Math.min(v.length(), MAX_SHOWN) + 16).append('"');
        for (int i = 0; i < v.length() && i < MAX_SHOWN; i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                s.append(String.format("\\x%02x", (int) c));
            } else {
                s.append(c);
            }
        }
        s.append('"');
        if (v.length() > MAX_SHOWN) {
            s.append("… (").append(v.length()).append(" bytes)");
        }
        return s.toString();
    }
}
