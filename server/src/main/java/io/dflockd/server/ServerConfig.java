package io.dflockd.server;

import io.dflockd.protocol.ProtocolLimits;
import io.dflockd.server.cluster.ClusterConfig;
import io.dflockd.server.http.HttpApiSettings;
import java.nio.file.Path;

/**
 * Immutable server settings (PROTOCOL.md §12.2). Durations are whole seconds, as on the command
 * line. Build with {@link #builder()}; {@link Main} fills one from flags and environment variables.
 */
public final class ServerConfig {
    private final String host;
    private final int port;
    private final long defaultLeaseTtlSeconds;
    private final long leaseSweepIntervalSeconds;
    private final long gcIntervalSeconds;
    private final long gcMaxIdleSeconds;
    private final int maxLocks;
    private final int maxWaiters;
    private final int maxKeys;
    private final int maxListLength;
    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final int maxSubscriptions;
    private final long readTimeoutSeconds;
    private final long writeTimeoutSeconds;
    private final long shutdownTimeoutSeconds;
    private final boolean autoReleaseOnDisconnect;
    private final Path fenceStateFile;
    private final Path tlsCert;
    private final Path tlsKey;
    private final Path tlsClientCa;
    private final String authToken;
    private final String adminToken;
    private final int httpPort;
    private final boolean httpAnyFreePort;
    private final String httpHost;
    private final ClusterConfig cluster;
    private final HttpApiSettings httpApi;

    private ServerConfig(Builder b) {
        host = b.host;
        port = b.port;
        defaultLeaseTtlSeconds = b.defaultLeaseTtlSeconds;
        leaseSweepIntervalSeconds = b.leaseSweepIntervalSeconds;
        gcIntervalSeconds = b.gcIntervalSeconds;
        gcMaxIdleSeconds = b.gcMaxIdleSeconds;
        maxLocks = b.maxLocks;
        maxWaiters = b.maxWaiters;
        maxKeys = b.maxKeys;
        maxListLength = b.maxListLength;
        maxConnections = b.maxConnections;
        maxConnectionsPerIp = b.maxConnectionsPerIp;
        maxSubscriptions = b.maxSubscriptions;
        readTimeoutSeconds = b.readTimeoutSeconds;
        writeTimeoutSeconds = b.writeTimeoutSeconds;
        shutdownTimeoutSeconds = b.shutdownTimeoutSeconds;
        autoReleaseOnDisconnect = b.autoReleaseOnDisconnect;
        fenceStateFile = b.fenceStateFile;
        tlsCert = b.tlsCert;
        tlsKey = b.tlsKey;
        tlsClientCa = b.tlsClientCa;
        authToken = b.authToken;
        adminToken = b.adminToken;
        httpPort = b.httpPort;
        httpAnyFreePort = b.httpAnyFreePort;
        httpHost = b.httpHost;
        cluster = b.cluster;
        httpApi = b.httpApi;
    }

    /** Cluster mode's settings ({@code --raft-dir} and the others), or {@code null}: a standalone server. */
    public ClusterConfig cluster() { return cluster; }

    /** A builder holding the upstream defaults. */
    public static Builder builder() {
        return new Builder();
    }

    public String host() { return host; }
    public int port() { return port; }
    public long defaultLeaseTtlSeconds() { return defaultLeaseTtlSeconds; }
    /** Accepted for compatibility; expiry is timer-driven, not swept. */
    public long leaseSweepIntervalSeconds() { return leaseSweepIntervalSeconds; }
    public long gcIntervalSeconds() { return gcIntervalSeconds; }
    public long gcMaxIdleSeconds() { return gcMaxIdleSeconds; }
    public int maxLocks() { return maxLocks; }
    public int maxWaiters() { return maxWaiters; }
    public int maxKeys() { return maxKeys; }
    public int maxListLength() { return maxListLength; }
    public int maxConnections() { return maxConnections; }
    public int maxConnectionsPerIp() { return maxConnectionsPerIp; }
    public int maxSubscriptions() { return maxSubscriptions; }
    public long readTimeoutSeconds() { return readTimeoutSeconds; }
    public long writeTimeoutSeconds() { return writeTimeoutSeconds; }
    public long shutdownTimeoutSeconds() { return shutdownTimeoutSeconds; }
    public boolean autoReleaseOnDisconnect() { return autoReleaseOnDisconnect; }
    /** {@code null} when fences are seeded from the wall clock. */
    public Path fenceStateFile() { return fenceStateFile; }
    public Path tlsCert() { return tlsCert; }
    public Path tlsKey() { return tlsKey; }
    /** {@code null} unless client certificates are required (mutual TLS). */
    public Path tlsClientCa() { return tlsClientCa; }
    /** {@code null} when authentication is off. Never log it. */
    public String authToken() { return authToken; }

    /** The token that unlocks the membership commands (cluster mode), or {@code null}: they are off. */
    public String adminToken() { return adminToken; }

    /** Whether the HTTP port (/health, /ready, /metrics) is on. */
    public boolean http() {
        return httpPort != 0 || httpAnyFreePort;
    }

    /** The HTTP port; 0 when off, or when {@link Builder#httpAnyFreePort()} picks one (see {@link DflockdServer#httpPort()}). */
    public int httpPort() { return httpPort; }

    /** The HTTP port's address: {@code --http-host}, or the {@code --host} value when not given. */
    public String httpHost() { return httpHost != null ? httpHost : host; }

    /** The session API's settings (idle timeout, caps, rate limit, CORS). */
    public HttpApiSettings httpApi() { return httpApi; }

    /** Whether the server speaks TLS. */
    public boolean tls() {
        return tlsCert != null;
    }

    // Defaults, written once: the builder starts from them and Main's --help shows them.
    // Upstream's values (PROTOCOL.md §12.2); host, port, lease and read timeout are protocol constants.
    static final String DEFAULT_HOST = ProtocolLimits.DEFAULT_HOST;
    static final int DEFAULT_PORT = ProtocolLimits.DEFAULT_PORT;
    static final long DEFAULT_LEASE_TTL_S = ProtocolLimits.DEFAULT_LEASE_TTL_S;
    static final long DEFAULT_LEASE_SWEEP_INTERVAL_S = 1;
    static final long DEFAULT_GC_INTERVAL_S = 5;
    static final long DEFAULT_GC_MAX_IDLE_S = 60;
    static final int DEFAULT_MAX_LOCKS = 1024;
    static final long DEFAULT_READ_TIMEOUT_S = ProtocolLimits.DEFAULT_READ_TIMEOUT_S;
    static final long DEFAULT_WRITE_TIMEOUT_S = 5;
    static final long DEFAULT_SHUTDOWN_TIMEOUT_S = 30;
    static final boolean DEFAULT_AUTO_RELEASE_ON_DISCONNECT = true;
    /** The HTTP port is off unless asked for (upstream: {@code --http-port} 0 = disabled). */
    static final int DEFAULT_HTTP_PORT = 0;

    /** Mutable builder; {@link #build()} validates every value and names the offending setting. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private long defaultLeaseTtlSeconds = DEFAULT_LEASE_TTL_S;
        private long leaseSweepIntervalSeconds = DEFAULT_LEASE_SWEEP_INTERVAL_S;
        private long gcIntervalSeconds = DEFAULT_GC_INTERVAL_S;
        private long gcMaxIdleSeconds = DEFAULT_GC_MAX_IDLE_S;
        private int maxLocks = DEFAULT_MAX_LOCKS;
        private int maxWaiters;
        private int maxKeys;
        private int maxListLength;
        private int maxConnections;
        private int maxConnectionsPerIp;
        private int maxSubscriptions;
        private long readTimeoutSeconds = DEFAULT_READ_TIMEOUT_S;
        private long writeTimeoutSeconds = DEFAULT_WRITE_TIMEOUT_S;
        private long shutdownTimeoutSeconds = DEFAULT_SHUTDOWN_TIMEOUT_S;
        private boolean autoReleaseOnDisconnect = DEFAULT_AUTO_RELEASE_ON_DISCONNECT;
        private Path fenceStateFile;
        private Path tlsCert;
        private Path tlsKey;
        private Path tlsClientCa;
        private String authToken;
        private String adminToken;
        private int httpPort = DEFAULT_HTTP_PORT;
        private boolean httpAnyFreePort;
        private String httpHost;
        private ClusterConfig cluster;
        private HttpApiSettings httpApi = HttpApiSettings.DEFAULTS;

        private Builder() {
        }

        public Builder host(String v) { host = v; return this; }
        /** 0 picks a free ephemeral port (see {@link DflockdServer#port()}). */
        public Builder port(int v) { port = v; return this; }
        public Builder defaultLeaseTtlSeconds(long v) { defaultLeaseTtlSeconds = v; return this; }
        public Builder leaseSweepIntervalSeconds(long v) { leaseSweepIntervalSeconds = v; return this; }
        public Builder gcIntervalSeconds(long v) { gcIntervalSeconds = v; return this; }
        public Builder gcMaxIdleSeconds(long v) { gcMaxIdleSeconds = v; return this; }
        public Builder maxLocks(int v) { maxLocks = v; return this; }
        public Builder maxWaiters(int v) { maxWaiters = v; return this; }
        public Builder maxKeys(int v) { maxKeys = v; return this; }
        public Builder maxListLength(int v) { maxListLength = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxConnectionsPerIp(int v) { maxConnectionsPerIp = v; return this; }
        public Builder maxSubscriptions(int v) { maxSubscriptions = v; return this; }
        public Builder readTimeoutSeconds(long v) { readTimeoutSeconds = v; return this; }
        public Builder writeTimeoutSeconds(long v) { writeTimeoutSeconds = v; return this; }
        public Builder shutdownTimeoutSeconds(long v) { shutdownTimeoutSeconds = v; return this; }
        public Builder autoReleaseOnDisconnect(boolean v) { autoReleaseOnDisconnect = v; return this; }
        public Builder fenceStateFile(Path v) { fenceStateFile = v; return this; }
        public Builder tlsCert(Path v) { tlsCert = v; return this; }
        public Builder tlsKey(Path v) { tlsKey = v; return this; }
        public Builder tlsClientCa(Path v) { tlsClientCa = v; return this; }
        public Builder authToken(String v) { authToken = v; return this; }
        /** {@code --admin-token}: enables the membership commands of a cluster node; {@code null} = off. */
        public Builder adminToken(String v) { adminToken = v; return this; }
        /** The HTTP port for /health, /ready and /metrics; 0 = off (the default). */
        public Builder httpPort(int v) { httpPort = v; httpAnyFreePort = false; return this; }
        /** Turns the HTTP port on at a free ephemeral port (tests, embedding): see {@link DflockdServer#httpPort()}. */
        public Builder httpAnyFreePort() { httpPort = 0; httpAnyFreePort = true; return this; }
        /** The HTTP port's address; {@code null} = the {@link #host} value. */
        public Builder httpHost(String v) { httpHost = v; return this; }
        /** Makes this server a node of a cluster (docs/CLUSTER-DESIGN.md); {@code null} = standalone. */
        public Builder cluster(ClusterConfig v) { cluster = v; return this; }
        /** The session API's settings; {@link HttpApiSettings#DEFAULTS} are upstream's. */
        public Builder httpApi(HttpApiSettings v) { httpApi = v; return this; }

        /**
         * @throws IllegalArgumentException naming the setting ("--port must be …") on a bad value
         */
        /** Builds the config and starts a server with it (the embedding API: {@link DflockdServer#builder()}). */
        public DflockdServer start() throws java.io.IOException {
            return DflockdServer.start(build());
        }

        public ServerConfig build() {
            require(host != null && !host.isEmpty(), "--host", "{} must not be empty");
            require(port >= 0 && port <= 65_535, "--port", "{} must be between 0 and 65535, got " + port);
            positiveSeconds("--default-lease-ttl", defaultLeaseTtlSeconds);
            positiveSeconds("--lease-sweep-interval", leaseSweepIntervalSeconds);
            positiveSeconds("--gc-interval", gcIntervalSeconds);
            nonNegativeSeconds("--gc-max-idle", gcMaxIdleSeconds);
            positiveSeconds("--read-timeout", readTimeoutSeconds);
            nonNegativeSeconds("--write-timeout", writeTimeoutSeconds);
            nonNegativeSeconds("--shutdown-timeout", shutdownTimeoutSeconds);
            require(maxLocks > 0, "--max-locks", "{} must be greater than 0, got " + maxLocks);
            unlimitedOrMore("--max-waiters", maxWaiters);
            unlimitedOrMore("--max-keys", maxKeys);
            unlimitedOrMore("--max-list-length", maxListLength);
            unlimitedOrMore("--max-connections", maxConnections);
            unlimitedOrMore("--max-connections-per-ip", maxConnectionsPerIp);
            unlimitedOrMore("--max-subscriptions", maxSubscriptions);
            require(httpPort >= 0 && httpPort <= 65_535, "--http-port",
                    "{} must be between 0 (off) and 65535, got " + httpPort);
            require(httpHost == null || !httpHost.isEmpty(), "--http-host", "{} must not be empty");
            require(httpPort == 0 || httpPort != port || (httpHost != null && !httpHost.equals(host)), "--http-port",
                    "{} must differ from --port (" + port + ") when both listen on " + host);
            require(cluster == null || fenceStateFile == null, "--fence-state-file",
                    "{} is a standalone setting: in cluster mode fences are replicated state");
            nonNegativeSeconds("--http-session-idle-timeout", httpApi.sessionIdleTimeoutSeconds());
            unlimitedOrMore("--http-max-sessions", httpApi.maxSessions());
            unlimitedOrMore("--http-max-sessions-per-ip", httpApi.maxSessionsPerIp());
            unlimitedOrMore("--http-max-connections-per-ip", httpApi.maxConnectionsPerIp());
            unlimitedOrMore("--http-rate-limit-per-ip", httpApi.rateLimitPerIp());
            unlimitedOrMore("--http-rate-limit-burst", httpApi.rateLimitBurst());
            require(tlsKey != null || tlsCert == null, "--tls-cert", "{} requires --tls-key as well");
            require(tlsCert != null || tlsKey == null, "--tls-key", "{} requires --tls-cert as well");
            require(tlsClientCa == null || tlsCert != null, "--tls-client-ca", "{} requires --tls-cert and --tls-key");
            secret("--auth-token", "auth", authToken);
            secret("--admin-token", "admin", adminToken);
            require(adminToken == null || cluster != null, "--admin-token",
                    "{} needs --raft-dir: the membership commands exist in cluster mode only");
            return new ServerConfig(this);
        }

        /** A token sent on an argument line: non-empty, one line, at most 65536 UTF-8 bytes once trimmed. */
        private static void secret(String flag, String what, String token) {
            if (token == null) {
                return;
            }
            require(!token.strip().isEmpty(), flag, "{}: the " + what + " token must not be empty");
            require(token.indexOf('\r') < 0 && token.indexOf('\n') < 0,
                    flag, "{}: the " + what + " token must be a single line");
            // bytes, not chars: the token travels as UTF-8 on an argument line capped in bytes
            require(token.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                            <= ProtocolLimits.MAX_PAYLOAD_BYTES,
                    flag, "{}: the " + what + " token must be at most 65536 bytes");
        }

        private static void positiveSeconds(String flag, long v) {
            require(v > 0 && v <= ProtocolLimits.MAX_SECONDS, flag,
                    "{} must be between 1 and " + ProtocolLimits.MAX_SECONDS + " seconds, got " + v);
        }

        private static void nonNegativeSeconds(String flag, long v) {
            require(v >= 0 && v <= ProtocolLimits.MAX_SECONDS, flag,
                    "{} must be between 0 and " + ProtocolLimits.MAX_SECONDS + " seconds, got " + v);
        }

        private static void unlimitedOrMore(String flag, int v) {
            require(v >= 0, flag, "{} must be 0 (unlimited) or more, got " + v);
        }

        /** @param template the message, {@code {}} standing for the setting's name */
        private static void require(boolean ok, String setting, String template) {
            if (!ok) {
                throw new InvalidSettingException(setting, template);
            }
        }
    }
}
