package io.dflockd.server;

import io.dflockd.server.cluster.ClusterConfig;
import io.dflockd.server.cluster.FollowerMode;
import io.dflockd.server.cluster.RaftTls;
import io.dflockd.server.time.ClockSkew;
import io.dflockd.server.time.SystemClocks;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code dflockd}: the server's command line (PROTOCOL.md §12). Precedence is flag &gt; environment
 * variable &gt; default; an empty environment variable counts as unset. Flags take Go's forms too
 * ({@code -port 6388}, {@code --port=6388}, {@code --debug=false}).
 */
@Command(name = "dflockd", mixinStandardHelpOptions = true, abbreviateSynopsis = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = "Distributed FIFO lock, semaphore and signal server (dflockd wire protocol).",
        footer = {"", "Every option can also be set with the environment variable shown in brackets.",
            "Precedence: command-line flag > environment variable > default.",
            "", "Exit codes: 1 cannot start (e.g. cannot listen); 2 bad flag or environment value;",
            "78 unusable TLS or auth token file. SIGTERM drains (see --shutdown-timeout), then exits."})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Address to bind [DFLOCKD_HOST] (default: ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ServerConfig.DEFAULT_PORT,
            description = "TCP port, 0 = any free port [DFLOCKD_PORT] (default: ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--default-lease-ttl", paramLabel = "SECONDS", defaultValue = "" + ServerConfig.DEFAULT_LEASE_TTL_S,
            description = "Lease when a request omits it [DFLOCKD_DEFAULT_LEASE_TTL_S] (default: ${DEFAULT-VALUE})")
    long defaultLeaseTtl;
    @Option(names = "--lease-sweep-interval", paramLabel = "SECONDS",
            defaultValue = "" + ServerConfig.DEFAULT_LEASE_SWEEP_INTERVAL_S,
            description = "Accepted for compatibility; leases expire by precise timers "
                    + "[DFLOCKD_LEASE_SWEEP_INTERVAL_S] (default: ${DEFAULT-VALUE})")
    long leaseSweepInterval;
    @Option(names = "--gc-interval", paramLabel = "SECONDS", defaultValue = "" + ServerConfig.DEFAULT_GC_INTERVAL_S,
            description = "How often idle keys are collected [DFLOCKD_GC_INTERVAL_S] (default: ${DEFAULT-VALUE})")
    long gcInterval;
    @Option(names = "--gc-max-idle", paramLabel = "SECONDS", defaultValue = "" + ServerConfig.DEFAULT_GC_MAX_IDLE_S,
            description = "Idle time before a key is collected, 0 = next pass [DFLOCKD_GC_MAX_IDLE_S] "
                    + "(default: ${DEFAULT-VALUE})")
    long gcMaxIdle;
    @Option(names = "--max-locks", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_MAX_LOCKS,
            description = "Keys (locks + semaphores) that may exist at once [DFLOCKD_MAX_LOCKS] "
                    + "(default: ${DEFAULT-VALUE})")
    int maxLocks;
    @Option(names = "--max-waiters", paramLabel = "N", defaultValue = "0",
            description = "Queue length per key, 0 = unlimited [DFLOCKD_MAX_WAITERS] (default: ${DEFAULT-VALUE})")
    int maxWaiters;
    @Option(names = "--max-keys", paramLabel = "N", defaultValue = "0",
            description = "Counters + KV entries + lists + barriers that may exist at once, 0 = unlimited "
                    + "[DFLOCKD_MAX_KEYS] (default: ${DEFAULT-VALUE})")
    int maxKeys;
    @Option(names = "--max-list-length", paramLabel = "N", defaultValue = "0",
            description = "Items per list, 0 = unlimited [DFLOCKD_MAX_LIST_LENGTH] (default: ${DEFAULT-VALUE})")
    int maxListLength;
    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "0",
            description = "Open connections, 0 = unlimited [DFLOCKD_MAX_CONNECTIONS] (default: ${DEFAULT-VALUE})")
    int maxConnections;
    @Option(names = "--max-connections-per-ip", paramLabel = "N", defaultValue = "0",
            description = "Open connections per client IP, 0 = unlimited [DFLOCKD_MAX_CONNECTIONS_PER_IP] "
                    + "(default: ${DEFAULT-VALUE})")
    int maxConnectionsPerIp;
    @Option(names = "--max-subscriptions", paramLabel = "N", defaultValue = "0",
            description = "Signal subscriptions per connection, 0 = unlimited [DFLOCKD_MAX_SUBSCRIPTIONS] "
                    + "(default: ${DEFAULT-VALUE})")
    int maxSubscriptions;
    @Option(names = "--read-timeout", paramLabel = "SECONDS", defaultValue = "" + ServerConfig.DEFAULT_READ_TIMEOUT_S,
            description = "Per-line read deadline; idle connections are closed [DFLOCKD_READ_TIMEOUT_S] "
                    + "(default: ${DEFAULT-VALUE})")
    long readTimeout;
    @Option(names = "--write-timeout", paramLabel = "SECONDS", defaultValue = "" + ServerConfig.DEFAULT_WRITE_TIMEOUT_S,
            description = "A peer that does not read for this long is closed, 0 = never "
                    + "[DFLOCKD_WRITE_TIMEOUT_S] (default: ${DEFAULT-VALUE})")
    long writeTimeout;
    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS",
            defaultValue = "" + ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT_S,
            description = "How long holders may keep draining on SIGTERM, 0 = no limit "
                    + "[DFLOCKD_SHUTDOWN_TIMEOUT_S] (default: ${DEFAULT-VALUE})")
    long shutdownTimeout;
    @Option(names = "--auto-release-on-disconnect", negatable = true, paramLabel = "BOOL",
            arity = "0..1", fallbackValue = "true", defaultValue = "" + ServerConfig.DEFAULT_AUTO_RELEASE_ON_DISCONNECT,
            description = "Release a connection's locks when it closes [DFLOCKD_AUTO_RELEASE_ON_DISCONNECT] "
                    + "(default: ${DEFAULT-VALUE})")
    boolean autoRelease;
    @Option(names = "--fence-state-file", paramLabel = "PATH",
            description = "Persist the fence counter so fences keep increasing across restarts "
                    + "[DFLOCKD_FENCE_STATE_FILE]")
    Path fenceStateFile;
    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "Certificate chain; enables TLS together with --tls-key [DFLOCKD_TLS_CERT]")
    Path tlsCert;
    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "Private key (PKCS#8, PKCS#1 or SEC1) [DFLOCKD_TLS_KEY]")
    Path tlsKey;
    @Option(names = "--tls-client-ca", paramLabel = "PEM",
            description = "Require client certificates signed by these CAs (mutual TLS) [DFLOCKD_TLS_CLIENT_CA]")
    Path tlsClientCa;
    @Option(names = "--auth-token", paramLabel = "SECRET",
            description = "Shared secret clients must send first; prefer --auth-token-file [DFLOCKD_AUTH_TOKEN]")
    String authToken;
    @Option(names = "--auth-token-file", paramLabel = "PATH",
            description = "File holding the shared secret (keeps it out of ps) [DFLOCKD_AUTH_TOKEN_FILE]")
    Path authTokenFile;
    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "" + ServerConfig.DEFAULT_HTTP_PORT,
            description = "HTTP port: session API, /health, /ready, /metrics; 0 = off [DFLOCKD_HTTP_PORT] "
                    + "(default: ${DEFAULT-VALUE})")
    int httpPort;
    @Option(names = "--http-host", paramLabel = "ADDR",
            description = "Address of the HTTP port [DFLOCKD_HTTP_HOST] (default: the --host value)")
    String httpHost;
    @Option(names = "--raft-dir", paramLabel = "DIR",
            description = "Cluster mode: Raft storage directory; setting it turns cluster mode on [DFLOCKD_RAFT_DIR]")
    Path raftDir;
    @Option(names = "--node-id", paramLabel = "ID",
            description = "Cluster mode: this node's id, one of --cluster-peers [DFLOCKD_NODE_ID]")
    String nodeId;
    @Option(names = "--cluster-peers", paramLabel = "PEERS",
            description = "Cluster mode: every initial member, id=raftHost:raftPort@clientHost:clientPort,... "
                    + "(the same on every node) [DFLOCKD_CLUSTER_PEERS]")
    String clusterPeers;
    @Option(names = "--raft-addr", paramLabel = "HOST:PORT",
            description = "Cluster mode: where this node's Raft port listens [DFLOCKD_RAFT_ADDR] "
                    + "(default: its address in --cluster-peers)")
    String raftAddr;
    @Option(names = "--cluster-join", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Cluster mode: start with no members and wait to be added with cluster-add; "
                    + "--cluster-peers then lists the members to reach [DFLOCKD_CLUSTER_JOIN] (default: ${DEFAULT-VALUE})")
    boolean clusterJoin;
    @Option(names = "--admin-token", paramLabel = "SECRET",
            description = "Cluster mode: secret that unlocks the membership commands (admin); prefer "
                    + "--admin-token-file [DFLOCKD_ADMIN_TOKEN]")
    String adminToken;
    @Option(names = "--admin-token-file", paramLabel = "PATH",
            description = "Cluster mode: file holding the admin secret [DFLOCKD_ADMIN_TOKEN_FILE]")
    Path adminTokenFile;
    @Option(names = "--cluster-request-timeout", paramLabel = "SECONDS",
            description = "Cluster mode: a request not committed by then (no leader reachable) is answered error "
                    + "and its connection closed [DFLOCKD_CLUSTER_REQUEST_TIMEOUT_S] (default: 10)")
    Long clusterRequestTimeout;
    @Option(names = "--raft-tls-cert", paramLabel = "PEM",
            description = "Cluster mode: this node's certificate for mutual TLS between nodes; its CN or a DNS SAN "
                    + "is --node-id, a SAN the host of its Raft address [DFLOCKD_RAFT_TLS_CERT]")
    Path raftTlsCert;
    @Option(names = "--raft-tls-key", paramLabel = "PEM",
            description = "Cluster mode: its private key (PKCS#8, PKCS#1 or SEC1) [DFLOCKD_RAFT_TLS_KEY]")
    Path raftTlsKey;
    @Option(names = "--raft-tls-ca", paramLabel = "PEM",
            description = "Cluster mode: the CAs a peer's certificate must chain to [DFLOCKD_RAFT_TLS_CA]")
    Path raftTlsCa;
    @Mixin
    FollowerOptions follower = new FollowerOptions();
    @Option(names = "--orphan-ttl", paramLabel = "SECONDS",
            description = "Cluster mode: how long the queue places and locks of a client with a stable-ref are kept "
                    + "after its connection or node is gone, for it to re-attach; 0 = not kept "
                    + "[DFLOCKD_ORPHAN_TTL_S] (default: 0)")
    Long orphanTtl;
    @Option(names = "--node-gone-timeout", paramLabel = "SECONDS",
            description = "Cluster mode: a node the leader has not heard from for this long is declared gone: its "
                    + "clients' waiters leave the queues [DFLOCKD_NODE_GONE_TIMEOUT_S] (default: 2 x --default-lease-ttl)")
    Long nodeGoneTimeout;
    @Mixin
    HttpApiOptions httpApi = new HttpApiOptions();
    @Option(names = "--debug", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Debug logging, including one line per request and reply (auth tokens redacted) "
                    + "[DFLOCKD_DEBUG] (default: ${DEFAULT-VALUE})")
    boolean debug;

    private ParseResult parsed;
    private EnvDefaults envDefaults;
    private Map<String, String> env = System.getenv();
    /** Where each token came from (a flag or variable name) by its flag, for messages about it. */
    private final Map<String, String> tokenSources = new java.util.HashMap<>();

    public static void main(String[] args) {
        Logging.installManager();
        System.exit(run(args, System.getenv()));
    }

    /** Parses, validates and runs until shut down; returns the exit code. */
    static int run(String[] args, Map<String, String> env) {
        CommandLine cl = commandLine(env);
        return cl.execute(goStyleFlags(cl, args));
    }

    /**
     * Go's flag package also takes {@code -name}; picocli wants {@code --name} for long names. Only
     * flags are rewritten: the value after a flag that takes one stays as given, so
     * {@code --auth-token -secret} keeps the token {@code -secret}.
     */
    static String[] goStyleFlags(CommandLine cl, String[] args) {
        String[] out = args.clone();
        boolean value = false;
        for (int i = 0; i < out.length; i++) {
            String a = out[i];
            if (value) {
                value = false;
                continue;
            }
            if (a.equals("--")) {
                break;
            }
            if (a.length() > 2 && a.charAt(0) == '-' && Character.isLetter(a.charAt(1))) {
                out[i] = "-" + a;
            }
            if (out[i].startsWith("--") && out[i].indexOf('=') < 0) {
                CommandLine.Model.OptionSpec option = cl.getCommandSpec().findOption(out[i]);
                value = option != null && option.arity().min() > 0;
            }
        }
        return out;
    }

    /**
     * Parses flags and environment into a config without starting anything.
     *
     * @throws CommandLine.ParameterException for a malformed flag or environment value
     * @throws StartupFailure                 for an out-of-range value or an unusable token file
     */
    static ServerConfig parseConfig(String[] args, Map<String, String> env) throws StartupFailure {
        CommandLine cl = commandLine(env);
        Main main = cl.getCommand();
        main.parsed = cl.parseArgs(goStyleFlags(cl, args));
        return main.toConfig();
    }

    /** The command line; {@code execute} it with {@link #goStyleFlags} applied. */
    static CommandLine commandLine(Map<String, String> env) {
        Main main = new Main();
        main.env = env;
        CommandLine cl = new CommandLine(main);
        main.envDefaults = new EnvDefaults(cl, env);
        cl.setDefaultValueProvider(main.envDefaults);
        cl.setExecutionStrategy(pr -> {
            main.parsed = pr;
            return new CommandLine.RunLast().execute(pr);
        });
        cl.setParameterExceptionHandler((ex, argv) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("dflockd: " + ex.getMessage() + " (try 'dflockd --help' for the list of options)");
            err.flush();
            return ServerExitCodes.USAGE;
        });
        return cl;
    }

    @Override
    public Integer call() {
        try {
            ServerConfig config = toConfig();
            ClockSkew skew = unsafeTestClockSkew();
            Logging.configure(debug);
            if (skew.active()) {
                SystemClocks.install(skew);
                System.getLogger(Main.class.getName()).log(System.Logger.Level.WARNING,
                        "UNSAFE test clock skew in effect (" + skew + "): never run this in production");
            }
            EnvDefaults.warnDeprecated(env);
            // The hook is in place before the server says it listens: a SIGTERM right after that
            // line must drain, not kill (creating the hook's first lambda can take a while).
            AtomicReference<DflockdServer> running = new AtomicReference<>();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                DflockdServer server = running.get();
                if (server != null) {
                    server.shutdownGracefully(Duration.ofSeconds(config.shutdownTimeoutSeconds()));
                }
                stopped.countDown();
            }, "dflockd-shutdown"));
            DflockdServer server = start(config);
            running.set(server);
            // A cluster node removed from its cluster stops by itself, and the process exits 0.
            server.terminated().thenRun(stopped::countDown);
            stopped.await();
            return ServerExitCodes.OK;
        } catch (StartupFailure e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("dflockd: " + e.getMessage());
            err.flush();
            return e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ServerExitCodes.OK;
        }
    }

    /** The test-only clock skew of the environment (CLUSTER-DESIGN.md §5.3); exit 2 for a bad one. */
    private ClockSkew unsafeTestClockSkew() throws StartupFailure {
        try {
            return ClockSkew.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(ServerExitCodes.USAGE, e.getMessage(), e);
        }
    }

    private DflockdServer start(ServerConfig config) throws StartupFailure {
        try {
            return DflockdServer.start(config);
        } catch (UnusableFileException e) {
            throw new StartupFailure(ServerExitCodes.CONFIG, e.describe(this::sourceOf), e);
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure(ServerExitCodes.CANNOT_START, String.valueOf(e.getMessage()), e);
        }
    }

    ServerConfig toConfig() throws StartupFailure {
        try {
            return ServerConfig.builder()
                    .host(host).port(port)
                    .defaultLeaseTtlSeconds(defaultLeaseTtl).leaseSweepIntervalSeconds(leaseSweepInterval)
                    .gcIntervalSeconds(gcInterval).gcMaxIdleSeconds(gcMaxIdle)
                    .maxLocks(maxLocks).maxWaiters(maxWaiters)
                    .maxKeys(maxKeys).maxListLength(maxListLength)
                    .maxConnections(maxConnections).maxConnectionsPerIp(maxConnectionsPerIp)
                    .maxSubscriptions(maxSubscriptions)
                    .readTimeoutSeconds(readTimeout).writeTimeoutSeconds(writeTimeout)
                    .shutdownTimeoutSeconds(shutdownTimeout)
                    .autoReleaseOnDisconnect(autoRelease)
                    .fenceStateFile(fenceStateFile)
                    .tlsCert(tlsCert).tlsKey(tlsKey).tlsClientCa(tlsClientCa)
                    .authToken(resolveToken("--auth-token", authToken, authTokenFile))
                    .adminToken(resolveToken("--admin-token", adminToken, adminTokenFile))
                    .httpPort(httpPort).httpHost(httpHost).httpApi(httpApi.settings())
                    .cluster(clusterConfig())
                    .build();
        } catch (InvalidSettingException e) {
            throw new StartupFailure(ServerExitCodes.USAGE, e.describe(this::sourceOf), e);
        } catch (UnusableFileException e) {
            throw new StartupFailure(ServerExitCodes.CONFIG, e.describe(this::sourceOf), e);
        }
    }

    /** The cluster settings, or {@code null} without {@code --raft-dir}; a half-given cluster is a usage error. */
    private ClusterConfig clusterConfig() throws UnusableFileException {
        if (raftDir == null && orphanTtl != null && orphanTtl > 0) {
            throw new InvalidSettingException("--orphan-ttl", "{} needs --raft-dir (cluster mode)");
        }
        if (raftDir == null && nodeGoneTimeout != null) {
            throw new InvalidSettingException("--node-gone-timeout", "{} needs --raft-dir (cluster mode)");
        }
        if (raftDir == null) {
            for (String flag : new String[] {"--node-id", "--cluster-peers", "--raft-addr", "--cluster-request-timeout",
                "--raft-tls-cert", "--raft-tls-key", "--raft-tls-ca", "--cluster-join"}) {
                Object given = switch (flag) {
                    case "--node-id" -> nodeId;
                    case "--cluster-peers" -> clusterPeers;
                    case "--raft-addr" -> raftAddr;
                    case "--raft-tls-cert" -> raftTlsCert;
                    case "--raft-tls-key" -> raftTlsKey;
                    case "--raft-tls-ca" -> raftTlsCa;
                    case "--cluster-join" -> clusterJoin ? Boolean.TRUE : null;
                    default -> clusterRequestTimeout;
                };
                if (given != null) {
                    throw new InvalidSettingException(flag, "{} needs --raft-dir (cluster mode)");
                }
            }
            if (follower.firstGiven() != null) {
                throw new InvalidSettingException(follower.firstGiven(), "{} needs --raft-dir (cluster mode)");
            }
            return null;
        }
        if (nodeId == null) {
            throw new InvalidSettingException("--node-id", "{} is required in cluster mode (--raft-dir)");
        }
        if (clusterPeers == null) {
            throw new InvalidSettingException("--cluster-peers", "{} is required in cluster mode (--raft-dir)");
        }
        if (clusterRequestTimeout != null && (clusterRequestTimeout < 1 || clusterRequestTimeout > 86_400)) {
            throw new InvalidSettingException("--cluster-request-timeout",
                    "{} must be between 1 and 86400 seconds, got " + clusterRequestTimeout);
        }
        if (orphanTtl != null && (orphanTtl < 0 || orphanTtl > 86_400)) {
            throw new InvalidSettingException("--orphan-ttl", "{} must be between 0 and 86400 seconds, got " + orphanTtl);
        }
        if (nodeGoneTimeout != null && (nodeGoneTimeout < 1 || nodeGoneTimeout > 86_400)) {
            throw new InvalidSettingException("--node-gone-timeout",
                    "{} must be between 1 and 86400 seconds, got " + nodeGoneTimeout);
        }
        RaftTls tls = RaftTlsFiles.load(nodeId, raftTlsCert, raftTlsKey, raftTlsCa);
        FollowerMode mode = follower.mode(); // before the try: its own message names its own flag
        ClusterConfig cluster;
        try {
            cluster = new ClusterConfig(nodeId, ClusterConfig.parsePeers(clusterPeers), raftDir, raftAddr,
                    clusterRequestTimeout == null ? ClusterConfig.DEFAULT_REQUEST_TIMEOUT
                            : java.time.Duration.ofSeconds(clusterRequestTimeout), tls, mode, clusterJoin,
                    java.time.Duration.ofSeconds(orphanTtl == null ? 0 : orphanTtl),
                    nodeGoneTimeout == null ? null : java.time.Duration.ofSeconds(nodeGoneTimeout));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("--cluster-peers", "{}: " + e.getMessage());
        }
        // A joining node may be missing from --cluster-peers: its client address comes with cluster-add.
        follower.checkAdvertised(cluster.peers().stream().filter(p -> p.id().equals(nodeId)).findFirst().orElse(null));
        return cluster;
    }

    /**
     * The name to put in a message about {@code flag}'s value: the flag when it was given on the
     * command line, the environment variable when the value came from there.
     */
    private String sourceOf(String flag) {
        if (tokenSources.containsKey(flag)) {
            return tokenSources.get(flag);
        }
        if (parsed != null && parsed.hasMatchedOption(flag)) {
            return flag;
        }
        String variable = envDefaults.variableUsedFor(flag);
        return variable != null ? variable : flag;
    }

    /**
     * PROTOCOL.md §12.3, for the auth token ({@code flag} {@code --auth-token}) and the admin token
     * ({@code --admin-token}): explicit flag, explicit file flag, env token, env token file. Surrounding
     * whitespace is not part of the token; ServerConfig checks what is left.
     *
     * @param inline the flag's value, {@code file} the file flag's
     */
    private String resolveToken(String flag, String inline, Path file) throws UnusableFileException {
        String fileFlag = flag + "-file";
        String variable = "DFLOCKD_" + flag.substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
        tokenSources.put(flag, flag);
        if (parsed != null && parsed.hasMatchedOption(flag) && !inline.isEmpty()) {
            return inline.strip();
        }
        if (parsed != null && parsed.hasMatchedOption(fileFlag)) {
            return tokenFromFile(flag, fileFlag, file);
        }
        String fromEnv = EnvDefaults.get(env, variable);
        if (fromEnv != null) {
            tokenSources.put(flag, variable);
            return fromEnv.strip();
        }
        String fileFromEnv = EnvDefaults.get(env, variable + "_FILE");
        return fileFromEnv == null ? null : tokenFromFile(flag, variable + "_FILE", Path.of(fileFromEnv));
    }

    /** The token in {@code file}, surrounding whitespace removed; an empty or multi-line file is unusable. */
    private String tokenFromFile(String flag, String source, Path file) throws UnusableFileException {
        tokenSources.put(flag, source);
        String token = UnusableFileException.read(source, file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new UnusableFileException(source, file + " holds no " + flag.substring(2) + " (it is empty)", null);
        }
        if (token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0) {
            throw new UnusableFileException(source, file + " must hold the " + flag.substring(2) + " on a single line", null);
        }
        return token;
    }

    /** {@code --version}: the project version, filtered into a resource by the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            try (InputStream in = Main.class.getResourceAsStream("version.txt")) {
                if (in == null) {
                    throw new IOException("version.txt is missing from the class path; build with Maven");
                }
                return new String[] {"dflockd (Java) " + new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()};
            }
        }
    }
}
