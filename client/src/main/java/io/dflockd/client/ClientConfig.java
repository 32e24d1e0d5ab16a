package io.dflockd.client;

import io.dflockd.protocol.ProtocolLimits;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Immutable connection settings shared by locks, semaphores, signal connections and low-level
 * connections: servers, sharding, renew ratio, TLS, auth token and connect timeout. Every value is
 * validated by the builder, so a built config is always usable.
 *
 * <pre>{@code
 * ClientConfig config = ClientConfig.builder()
 *     .servers("10.0.0.1:6388", "10.0.0.2:6388")
 *     .sslContext(SSLContext.getDefault())
 *     .authToken("s3cret")
 *     .build();
 * }</pre>
 *
 * <p>Defaults: server {@code 127.0.0.1:6388}, CRC-32 sharding, renew ratio 0.5, plain TCP, no
 * auth, connect timeout 10 s.
 */
public final class ClientConfig {
    /** Default connect timeout; it also bounds the TLS handshake and the auth exchange. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default fraction of the lease after which a held lease is renewed. */
    public static final double DEFAULT_RENEW_RATIO = 0.5;

    private static final ClientConfig DEFAULTS = builder().build();

    private final List<InetSocketAddress> servers;
    /** Each cluster's members, in {@link #servers} order (a cluster's shard is its first member there). */
    private final List<List<InetSocketAddress>> clusters;
    private final ShardingStrategy shardingStrategy;
    private final double renewRatio;
    private final boolean renewJitter;
    private final SSLContext sslContext;
    private final String authToken;
    private final Duration connectTimeout;

    private ClientConfig(Builder b) {
        this.servers = List.copyOf(b.servers);
        this.clusters = b.clusters.stream().map(List::copyOf).toList();
        this.shardingStrategy = b.shardingStrategy;
        this.renewRatio = b.renewRatio;
        this.renewJitter = b.renewJitter;
        this.sslContext = b.sslContext;
        this.authToken = b.authToken;
        this.connectTimeout = b.connectTimeout;
    }

    /** A new builder with every default set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The all-defaults config: {@code 127.0.0.1:6388}, plain TCP, no auth. */
    public static ClientConfig defaults() {
        return DEFAULTS;
    }

    /** A builder pre-filled with this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.servers = new ArrayList<>(servers);
        b.clusters = new ArrayList<>(clusters);
        b.shardingStrategy = shardingStrategy;
        b.renewRatio = renewRatio;
        b.renewJitter = renewJitter;
        b.sslContext = sslContext;
        b.authToken = authToken;
        b.connectTimeout = connectTimeout;
        return b;
    }

    /**
     * The members of every cluster set with {@link Builder#cluster}, or an empty list. A cluster is one
     * logical server: {@link #servers()} then holds its first member only, one shard per cluster.
     */
    public List<InetSocketAddress> clusterMembers() {
        return clusters.stream().flatMap(List::stream).toList();
    }

    /** The members of the cluster {@code member} belongs to, or an empty list when it is no cluster member. */
    List<InetSocketAddress> membersOf(InetSocketAddress member) {
        for (List<InetSocketAddress> c : clusters) {
            if (c.contains(member)) {
                return c;
            }
        }
        return List.of();
    }

    /**
     * Where a connection meant for {@code server} may go, in the order to try: its cluster's members
     * from a random one on (so that clients spread over the nodes) when {@code server} is a cluster
     * member, else {@code server} alone.
     */
    List<InetSocketAddress> candidatesFor(InetSocketAddress server) {
        List<InetSocketAddress> members = membersOf(server);
        if (members.isEmpty()) {
            return List.of(server);
        }
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(members.size());
        List<InetSocketAddress> order = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            order.add(members.get((start + i) % members.size()));
        }
        return order;
    }

    /** The servers, in configured order (the order sharding indexes into); never empty. */
    public List<InetSocketAddress> servers() {
        return servers;
    }

    /** The key-to-server mapping. */
    public ShardingStrategy shardingStrategy() {
        return shardingStrategy;
    }

    /** Renewal happens after {@code lease × renewRatio}; in (0, 1). */
    public double renewRatio() {
        return renewRatio;
    }

    /** Whether each renewal comes up to 10 % early, at random (so a fleet does not renew in lockstep). */
    public boolean renewJitter() {
        return renewJitter;
    }

    /** The TLS context, or {@code null} for plain TCP. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** The auth token, or {@code null} when no {@code auth} is sent. */
    public String authToken() {
        return authToken;
    }

    /** Timeout of TCP connect, TLS handshake and auth together. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The server that owns {@code key} according to the sharding strategy.
     *
     * @throws IllegalStateException if the strategy returns an index outside {@code [0, n)}
     */
    public InetSocketAddress serverFor(String key) {
        int n = servers.size();
        int i = shardingStrategy.index(key, n);
        if (i < 0 || i >= n) {
            throw new IllegalStateException("sharding strategy returned index " + i + " for key \"" + key
                    + "\" but only indexes 0.." + (n - 1) + " exist (" + n + " servers)");
        }
        return servers.get(i);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ClientConfig{servers=[");
        for (int i = 0; i < servers.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(Addresses.format(servers.get(i)));
        }
        for (List<InetSocketAddress> c : clusters) {
            s.append("], cluster=[");
            for (int i = 0; i < c.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(Addresses.format(c.get(i)));
            }
        }
        return s.append("], renewRatio=").append(renewRatio).append(", renewJitter=").append(renewJitter).append(", tls=").append(sslContext != null)
                .append(", auth=").append(authToken != null).append(", connectTimeout=").append(connectTimeout)
                .append('}').toString();
    }

    /** Builder of {@link ClientConfig}; each setter validates its argument immediately. */
    public static final class Builder {
        private List<InetSocketAddress> servers =
                new ArrayList<>(List.of(InetSocketAddress.createUnresolved(ProtocolLimits.DEFAULT_HOST,
                        ProtocolLimits.DEFAULT_PORT)));
        private List<List<InetSocketAddress>> clusters = new ArrayList<>();
        private ShardingStrategy shardingStrategy = ShardingStrategy.crc32();
        private double renewRatio = DEFAULT_RENEW_RATIO;
        private boolean renewJitter = true;
        private SSLContext sslContext;
        private String authToken;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets the servers; the list order is the sharding order.
         *
         * @throws IllegalArgumentException if the list is empty or holds {@code null} or a bad port
         */
        public Builder servers(List<InetSocketAddress> servers) {
            Objects.requireNonNull(servers, "servers");
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("at least one server is required");
            }
            List<InetSocketAddress> copy = new ArrayList<>(servers.size());
            for (InetSocketAddress a : servers) {
                if (a == null) {
                    throw new IllegalArgumentException("server list contains null");
                }
                Addresses.checkPort(a.getPort(), a);
                copy.add(a);
            }
            this.servers = copy;
            this.clusters = new ArrayList<>();
            return this;
        }

        /**
         * Connects to a dflockd cluster (the server's cluster mode): one logical server whose
         * members all serve every key. Connections go to any member and move on to the next when
         * one cannot be reached; a held lease whose connection dies is renewed by its token through
         * another member, and is reported lost only when that fails (the token is no longer held)
         * or its deadline passes. The first call replaces any {@link #servers} set before; each
         * further call adds another cluster as another shard (keys are spread over the clusters by
         * the {@link #shardingStrategy}, one shard per cluster).
         *
         * @param hostPorts the members' client addresses, {@code host:port}
         * @throws IllegalArgumentException if empty or malformed, or a member already belongs to a cluster set before
         */
        public Builder cluster(String... hostPorts) {
            Objects.requireNonNull(hostPorts, "cluster");
            List<InetSocketAddress> members = new ArrayList<>(hostPorts.length);
            for (String s : hostPorts) {
                members.add(Addresses.parse(s));
            }
            if (members.isEmpty()) {
                throw new IllegalArgumentException("a cluster needs at least one member");
            }
            if (clusters.isEmpty()) {
                servers(List.of(members.get(0)));
            } else {
                for (InetSocketAddress m : members) {
                    if (clusters.stream().anyMatch(c -> c.contains(m))) {
                        throw new IllegalArgumentException(Addresses.format(m) + " is already a member of another cluster");
                    }
                }
                servers.add(members.get(0));
            }
            clusters.add(List.copyOf(members));
            return this;
        }

        /**
         * Sets the servers from {@code host:port} strings ({@code host} alone means port 6388; IPv6 as
         * {@code [::1]:6388}). Hosts are resolved when a connection is opened.
         */
        public Builder servers(String... hostPorts) {
            Objects.requireNonNull(hostPorts, "servers");
            List<InetSocketAddress> list = new ArrayList<>(hostPorts.length);
            for (String s : hostPorts) {
                list.add(Addresses.parse(s));
            }
            return servers(list);
        }

        /** Shorthand for a single server. */
        public Builder server(String hostPort) {
            return servers(hostPort);
        }

        /** Shorthand for a single server. */
        public Builder server(InetSocketAddress address) {
            return servers(List.of(Objects.requireNonNull(address, "address")));
        }

        /** Sets the key-to-server mapping (default {@link ShardingStrategy#crc32()}). */
        public Builder shardingStrategy(ShardingStrategy strategy) {
            this.shardingStrategy = Objects.requireNonNull(strategy, "shardingStrategy");
            return this;
        }

        /**
         * Renew after {@code lease × ratio}.
         *
         * @throws IllegalArgumentException unless {@code 0 < ratio < 1}
         */
        public Builder renewRatio(double ratio) {
            if (!(ratio > 0.0 && ratio < 1.0)) {
                throw new IllegalArgumentException("renew ratio must be strictly between 0 and 1, got " + ratio);
            }
            this.renewRatio = ratio;
            return this;
        }

        /**
         * Renew up to 10 % before {@code lease × ratio}, at random (default on, as upstream's Go
         * client does), so that many clients that took their locks together do not renew together.
         */
        public Builder renewJitter(boolean on) {
            this.renewJitter = on;
            return this;
        }

        /**
         * Enables TLS with this context ({@code null} = plain TCP). The server certificate is checked
         * by the context's trust managers and its host name is verified (endpoint identification
         * {@code HTTPS}) against the configured server host.
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * Sets the shared secret sent with {@code auth} right after connecting ({@code null} = no
         * auth). Combine it with TLS; otherwise it travels in clear text.
         *
         * @throws IllegalArgumentException if empty, blank, containing CR, LF or NUL, or over 64 KiB
         */
        public Builder authToken(String token) {
            if (token != null) {
                if (token.isBlank()) {
                    throw new IllegalArgumentException("auth token must not be empty or blank (use null for no auth)");
                }
                if (token.indexOf('\r') >= 0 || token.indexOf('\n') >= 0 || token.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("auth token must not contain CR, LF or NUL");
                }
                int bytes = token.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > ProtocolLimits.MAX_PAYLOAD_BYTES) {
                    throw new IllegalArgumentException("auth token is " + bytes + " bytes; the limit is "
                            + ProtocolLimits.MAX_PAYLOAD_BYTES);
                }
            }
            this.authToken = token;
            return this;
        }

        /**
         * Bounds TCP connect, TLS handshake and auth together (default 10 s).
         *
         * @throws IllegalArgumentException unless positive and at most {@code Integer.MAX_VALUE} ms
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connect timeout must be positive, got " + timeout);
            }
            if (timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException("connect timeout too large: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** Builds the immutable config. */
        public ClientConfig build() {
            return new ClientConfig(this);
        }
    }
}
