package io.dflockd.bench.cli;

import java.net.InetSocketAddress;

/** Parses {@code host:port} and {@code [v6]:port} the way the clients do. */
final class HostPorts {
    private HostPorts() {
    }

    static InetSocketAddress parse(String option, String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new Check.BadOptionException(option + ": expected HOST:PORT, got '" + s + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new Check.BadOptionException(option + ": bad port in '" + s + "'");
        }
        return of(option, host, port);
    }

    static InetSocketAddress of(String option, String host, int port) {
        if (port < 1 || port > 65535) {
            throw new Check.BadOptionException(option + ": port must be 1-65535, got " + port);
        }
        if (host.isEmpty()) {
            throw new Check.BadOptionException(option + ": empty host");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
