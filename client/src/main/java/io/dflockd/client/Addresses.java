package io.dflockd.client;

import io.dflockd.protocol.ProtocolLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parsing and printing of {@code host:port} server addresses. */
final class Addresses {
    private Addresses() {
    }

    /** {@code host:port}, IPv6 literals in brackets, never triggering a DNS lookup. */
    static String format(InetSocketAddress a) {
        String host = a.getHostString();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + a.getPort();
    }

    /**
     * Parses {@code host:port}, {@code host} (default port), {@code [v6]:port} or {@code [v6]}. The
     * result is unresolved; it is resolved at connect time.
     */
    static InetSocketAddress parse(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("server address must not be empty");
        }
        String t = s.strip();
        String host;
        String port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated IPv6 literal in server address: " + s);
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':port' after ']' in server address: " + s);
                }
                port = rest.substring(1);
            }
        } else {
            int colon = t.lastIndexOf(':');
            if (colon >= 0 && t.indexOf(':') != colon) {
                throw new IllegalArgumentException("IPv6 addresses must be written as [addr]:port: " + s);
            }
            host = colon < 0 ? t : t.substring(0, colon);
            port = colon < 0 ? null : t.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("server address has no host: " + s);
        }
        int p = ProtocolLimits.DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid port in server address: " + s);
            }
        }
        checkPort(p, s);
        return InetSocketAddress.createUnresolved(host, p);
    }

    static void checkPort(int p, Object what) {
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + p + " in " + what);
        }
    }

    /** Resolves an unresolved address (DNS at connect time, so changes are picked up). */
    static InetSocketAddress resolve(InetSocketAddress a) throws UnknownHostException {
        if (!a.isUnresolved()) {
            return a;
        }
        return new InetSocketAddress(InetAddress.getByName(a.getHostString()), a.getPort());
    }
}
