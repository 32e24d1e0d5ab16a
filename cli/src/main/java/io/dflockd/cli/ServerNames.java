package io.dflockd.cli;

import java.net.InetSocketAddress;

/** {@code host:port} as the user wrote it (IPv6 in brackets), without a DNS lookup. */
final class ServerNames {
    private ServerNames() {
    }

    static String format(InetSocketAddress a) {
        String host = a.getHostString();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + a.getPort();
    }
}
