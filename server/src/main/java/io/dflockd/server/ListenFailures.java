package io.dflockd.server;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/**
 * Says in words why the listening socket could not be opened. Netty's native transport reports
 * "bind(..) failed with error(-99): …", the JDK an unresolved address with no message at all;
 * an operator wants the address, the port and the reason.
 */
final class ListenFailures {
    private ListenFailures() {
    }

    static IOException cannotListen(String host, int port, Throwable cause) {
        return new IOException("cannot listen on " + address(host, port) + ": " + reason(cause), cause);
    }

    /** The same for a second port, named: "cannot listen for HTTP on 127.0.0.1:8080: …". */
    static IOException cannotListen(String what, String host, int port, Throwable cause) {
        return new IOException("cannot listen " + what + " on " + address(host, port) + ": " + reason(cause), cause);
    }

    static String address(String host, int port) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == 0 ? h + " (any free port)" : h + ":" + port;
    }

    static String reason(Throwable e) {
        if (e instanceof UnknownHostException || e instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("address already in use")) {
            return "address already in use";
        }
        if (lower.contains("cannot assign requested address")) {
            return "cannot assign address (it is not an address of this machine)";
        }
        if (lower.contains("permission denied") || lower.contains("access denied")) {
            return "permission denied (ports below 1024 need privileges)";
        }
        m = m.replaceFirst("^bind\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ", "");
        return m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
