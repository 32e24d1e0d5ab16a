package io.dflockd.bench.wire;

import io.dflockd.client.ClientConfig;
import io.dflockd.protocol.Sharding;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The servers under test. Keys are spread over them with the same CRC-32 sharding every official
 * client uses, so a multi-server run loads the servers exactly as real clients would.
 */
public final class Endpoints {
    private final List<InetSocketAddress> servers;
    private final ClientConfig libraryConfig;

    public Endpoints(List<InetSocketAddress> servers) {
        this(servers, ClientConfig.defaults());
    }

    private Endpoints(List<InetSocketAddress> servers, ClientConfig libraryConfig) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server is needed");
        }
        this.servers = List.copyOf(servers);
        this.libraryConfig = libraryConfig;
    }

    /**
     * One dflockd cluster: library sessions start at a random member and follow
     * {@code error_not_leader} like applications do ({@code ClientConfig.Builder.cluster}).
     *
     * @throws IllegalArgumentException for a malformed member
     */
    public static Endpoints cluster(String... members) {
        ClientConfig config = ClientConfig.builder().cluster(members).build();
        return new Endpoints(config.clusterMembers(), config);
    }

    /** The settings library sessions connect with. */
    ClientConfig libraryConfig() {
        return libraryConfig;
    }

    /** The server that owns {@code key} (a cluster's members all serve every key: its first). */
    public InetSocketAddress serverFor(String key) {
        if (!libraryConfig.clusterMembers().isEmpty()) {
            return servers.get(0);
        }
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
