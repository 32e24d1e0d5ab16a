package io.dflockd.bench.wire;

import io.dflockd.protocol.Sharding;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The servers under test. Keys are spread over them with the same CRC-32 sharding every official
 * client uses, so a multi-server run loads the servers exactly as real clients would.
 */
public final class Endpoints {
    private final List<InetSocketAddress> servers;

    public Endpoints(List<InetSocketAddress> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server is needed");
        }
        this.servers = List.copyOf(servers);
    }

    /** The server that owns {@code key}. */
    public InetSocketAddress serverFor(String key) {
        return servers.get(Sharding.crc32Index(key, servers.size()));
    }

    /** The first server: unsharded traffic (ping, signals) goes there. */
    public InetSocketAddress first() {
        return servers.get(0);
    }

    public List<InetSocketAddress> all() {
        return servers;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (InetSocketAddress a : servers) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(a.getHostString()).append(':').append(a.getPort());
        }
        return b.toString();
    }
}
