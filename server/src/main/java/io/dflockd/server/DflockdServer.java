package io.dflockd.server;

import io.dflockd.server.cluster.ClusterNode;
import io.dflockd.server.cluster.ClusterStatus;
import io.dflockd.server.fence.FenceAllocator;
import io.dflockd.server.fence.FenceAllocators;
import io.dflockd.server.http.HttpApi;
import io.dflockd.server.http.HttpPort;
import io.dflockd.server.http.HttpRouter;
import io.dflockd.server.http.HttpSessions;
import io.dflockd.server.http.OpsHandlers;
import io.dflockd.server.http.StatusPage;
import io.dflockd.server.leader.LeaderObservers;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockBackend;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.metrics.ServerMetrics;
import io.dflockd.server.net.ClusterAdmin;
import io.dflockd.server.net.ServerContext;
import io.dflockd.server.net.ServerPipeline;
import io.dflockd.server.signal.SignalEvents;
import io.dflockd.server.signal.SignalRouter;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.EventLoopScheduler;
import io.dflockd.server.watch.Watchers;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running dflockd server: Netty transport (epoll when available, NIO otherwise) in front of the
 * lock manager. Embeddable: {@code try (DflockdServer s = DflockdServer.start(cfg)) { … }}.
 */
public final class DflockdServer implements AutoCloseable {
    private static final Logger LOG = System.getLogger(DflockdServer.class.getName());

    private final ServerConfig config;
    private final IoTransport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final FenceAllocator fences;
    private final LockManager locks;
    /** The cluster node this server is, or {@code null} standalone. */
    private final ClusterNode cluster;
    private final SignalRouter signals;
    private final LeaderObservers leaders;
    private final Watchers watchers;
    private final ServerContext context;
    private final ConnectionLimits limits;
    private final ChannelGroup channels = new DefaultChannelGroup("dflockd-connections", GlobalEventExecutor.INSTANCE);
    private final SslContext ssl;
    /** {@code null} unless the HTTP port is on: then every counter is live, else nothing is counted. */
    private final ServerMetrics metrics;
    private final ChannelGroup httpChannels = new DefaultChannelGroup("dflockd-http", GlobalEventExecutor.INSTANCE);
    /** The HTTP sessions, {@code null} unless the HTTP port is on. */
    private final HttpSessions sessions;
    private Channel listener;
    private Channel httpListener;
    private ScheduledFuture<?> gcTask;
    private volatile boolean closed;
    /** Completed when the server has stopped: closed, or removed from its cluster and drained. */
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private DflockdServer(ServerConfig config) throws IOException {
        this.config = config;
        this.ssl = config.tls() ? TlsContexts.server(config) : null;
        this.fences = FenceAllocators.open(config.fenceStateFile(), FenceAllocators::wallClockNanos);
        this.transport = IoTransport.best();
        this.boss = transport.group(1, "dflockd-accept");
        this.workers = transport.group(Runtime.getRuntime().availableProcessors(), "dflockd-io");
        this.limits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerIp());
        // The gauges read the lock manager, the router and the context, made just below; a scrape
        // can only happen once the HTTP port is bound, after the constructor.
        this.metrics = config.http() ? new ServerMetrics(ServerMetrics.state(this::connections, this::httpSessions,
                this::draining, this::resourceSnapshot, this::signalChannels, this::raftMetrics)) : null;
        LockSettings lockSettings = new LockSettings(config.maxLocks(), config.maxWaiters(),
                config.defaultLeaseTtlSeconds(), config.gcMaxIdleSeconds(), config.autoReleaseOnDisconnect(),
                config.maxKeys(), config.maxListLength());
        // Leader observers and watchers hear of the state's changes on every node, a cluster's followers included.
        this.leaders = new LeaderObservers(config.maxSubscriptions());
        this.watchers = new Watchers(config.maxSubscriptions());
        LockEvents lockEvents = watchers.watching(leaders.watching(metrics != null ? metrics : LockEvents.NONE));
        this.locks = new LockManager(lockSettings, Clock.SYSTEM, new EventLoopScheduler(workers), fences, lockEvents);
        // Cluster mode: connections use the replicated state; the local manager above stays idle.
        this.cluster = config.cluster() == null ? null : startNode(config, lockSettings, lockEvents);
        LockBackend backend = cluster != null ? cluster.backend() : LockBackend.local(locks);
        byte[] token = utf8(config.authToken());
        this.signals = new SignalRouter(config.maxSubscriptions(), metrics != null ? metrics : SignalEvents.NONE);
        this.context = new ServerContext(backend, locks, signals, token, TimeUnit.SECONDS.toNanos(config.writeTimeoutSeconds()),
                this::renderStats, metrics != null ? metrics::tcpAuthFailed : () -> { },
                cluster != null ? cluster::barrier : ServerContext.NO_BARRIER,
                cluster != null ? cluster::notLeader : ServerContext.NEVER_REDIRECT, clusterAdmin(),
                leaders, watchers, cluster != null ? cluster::locks : () -> locks);
        this.sessions = config.http() ? new HttpSessions(locks, Clock.SYSTEM, new EventLoopScheduler(workers),
                context::nextConnectionId, config.httpApi()) : null;
    }

    private ClusterNode startNode(ServerConfig config, LockSettings settings, LockEvents events) throws IOException {
        try {
            return ClusterNode.start(config.cluster(), settings, events, config.gcIntervalSeconds());
        } catch (IOException | RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            fences.close();
            throw e;
        }
    }

    /**
     * Embeds a server: {@code DflockdServer.builder().host("127.0.0.1").port(0).start()}; every
     * setting defaults as the command line's does. Close it when done.
     */
    public static ServerConfig.Builder builder() {
        return ServerConfig.builder();
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the port cannot be bound, the fence state file cannot be used, or the
     *                     TLS material cannot be read
     */
    public static DflockdServer start(ServerConfig config) throws IOException {
        DflockdServer s = new DflockdServer(config);
        try {
            s.bind();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** A node removed from its cluster stops as on SIGTERM (CLUSTER-DESIGN.md §4.6): its Raft server already did. */
    private void stopWhenRemoved() {
        cluster.removed().thenRun(() -> {
            Thread t = new Thread(() -> {
                LOG.log(Level.INFO, "removed from the cluster");
                shutdownGracefully(Duration.ofSeconds(config.shutdownTimeoutSeconds()));
            }, "dflockd-removed");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Completes once this server has stopped, by {@link #close()}, a graceful shutdown, or removal from its cluster. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    private void bind() throws IOException {
        long readTimeoutNanos = TimeUnit.SECONDS.toNanos(config.readTimeoutSeconds());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        InetSocketAddress remote = ch.remoteAddress();
                        InetAddress ip = remote == null ? null : remote.getAddress();
                        if (closed || context.draining() || !limits.tryAdmit(ip)) {
                            LOG.log(Level.DEBUG, () -> "refusing connection from " + remote);
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> limits.release(ip));
                        channels.add(ch);
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        ServerPipeline.install(ch.pipeline(), context, readTimeoutNanos);
                    }
                });
        listener = bindTo(b, config.host(), config.port(), null);
        if (cluster != null) {
            stopWhenRemoved();
        }
        if (metrics != null) {
            bindHttp();
        }
        long gcNanos = TimeUnit.SECONDS.toNanos(config.gcIntervalSeconds());
        gcTask = workers.next().scheduleAtFixedRate(this::collectIdle, gcNanos, gcNanos, TimeUnit.NANOSECONDS);
        LOG.log(Level.INFO, () -> "dflockd listening on " + address() + " (" + transport.transportName()
                + (ssl != null ? ", TLS" : "") + (config.authToken() != null ? ", auth" : "") + ")");
    }

    /** The HTTP port: a second bootstrap on the same event loops, the same TLS context. */
    private void bindHttp() throws IOException {
        HttpRouter.Builder routes = HttpRouter.builder().auth(utf8(config.authToken()), metrics::httpAuthFailed)
                .cors(config.httpApi().corsAllowedOrigins())
                .rateLimit(config.httpApi().rateLimitPerIp(), config.httpApi().rateLimitBurst(), Clock.SYSTEM,
                        Set.of("/health", "/ready"));
        OpsHandlers.install(routes, context::draining, metrics);
        StatusPage.install(routes, this::renderStats);
        if (cluster == null) {
            // The session API works on this process's lock manager; on a cluster node it would
            // bypass the replicated state, so a node serves the probes, metrics and status page only.
            HttpApi.install(routes, locks, sessions, this::renderStats, context::draining);
        }
        HttpRouter router = routes.build();
        HttpPort port = new HttpPort(router, ssl, httpChannels, metrics);
        ConnectionLimits perIp = new ConnectionLimits(0, config.httpApi().maxConnectionsPerIp());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        InetAddress ip = ch.remoteAddress() == null ? null : ch.remoteAddress().getAddress();
                        if (!perIp.tryAdmit(ip)) { // --http-max-connections-per-ip
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> perIp.release(ip));
                        ch.pipeline().addLast(port);
                    }
                });
        httpListener = bindTo(b, config.httpHost(), config.httpPort(), "for HTTP");
        LOG.log(Level.INFO, () -> "dflockd HTTP (" + (cluster == null ? "session API, " : "")
                + "/health, /ready, /metrics, status page) on " + httpAddress()
                + (ssl != null ? " (TLS)" : ""));
    }

    /** @param what how a failure names the port ("for HTTP"), or {@code null} for the TCP port */
    private static Channel bindTo(ServerBootstrap b, String host, int port, String what) throws IOException {
        try {
            // Resolved here rather than by Netty, which reports an unknown host as a null message.
            InetAddress address = InetAddress.getByName(host);
            return b.bind(new InetSocketAddress(address, port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        } catch (Exception e) {
            throw what == null ? ListenFailures.cannotListen(host, port, e)
                    : ListenFailures.cannotListen(what, host, port, e);
        }
    }

    /** A configured token's UTF-8 bytes, or {@code null} when it is not set. */
    private static byte[] utf8(String token) {
        return token == null ? null : token.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** The membership commands: on for a cluster node with an admin token. */
    private ClusterAdmin clusterAdmin() {
        return cluster == null || config.adminToken() == null ? ClusterAdmin.NONE
                : new ClusterAdmin(utf8(config.adminToken()), cluster::changeMembership);
    }

    private void collectIdle() {
        try {
            int n = locks.collectIdle();
            if (n > 0) {
                LOG.log(Level.DEBUG, () -> "collected " + n + " idle resources");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "idle collection failed", e);
        }
    }

    private boolean draining() {
        return context.draining();
    }

    private java.util.List<io.dflockd.server.lock.ResourceSnapshot> resourceSnapshot() {
        return context.lockBackend().snapshot();
    }

    private java.util.List<io.dflockd.server.signal.ChannelStat> signalChannels() {
        return signals.stats();
    }

    private byte[] renderStats() {
        return ServerStats.render(connections(), context.lockBackend().snapshot(),
                (cluster == null ? locks : cluster.locks()).data(), signals.stats(), watchers.stats(),
                cluster == null ? null : cluster.status());
    }

    private int httpSessions() {
        return sessions == null ? 0 : sessions.count();
    }

    /** The cluster node's Raft state for {@code /metrics}; {@code null} standalone or once the node is closed. */
    private ServerMetrics.Raft raftMetrics() {
        ClusterStatus status = cluster == null ? null : cluster.status();
        return status == null ? null : new ServerMetrics.Raft(status.role(), status.term(), status.commitIndex(),
                status.appliedIndex(), cluster.leaderChanges());
    }

    /** Open TCP connections plus HTTP sessions (upstream's count in stats and metrics). */
    private int connections() {
        return limits.open() + httpSessions();
    }

    /** The bound address (with the real port when configured with port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The HTTP port's bound address, or {@code null} when the HTTP port is off. */
    public InetSocketAddress httpAddress() {
        return httpListener == null ? null : (InetSocketAddress) httpListener.localAddress();
    }

    /** The HTTP port's bound port (the real one with {@code httpAnyFreePort()}), or 0 when it is off. */
    public int httpPort() {
        return httpListener == null ? 0 : httpAddress().getPort();
    }

    /** The bound port. */
    public int port() {
        return address().getPort();
    }

    /** The lock manager, for in-process inspection (tests, tools). */
    /** The cluster node this server is, when started in cluster mode. */
    public java.util.Optional<ClusterNode> clusterNode() {
        return java.util.Optional.ofNullable(cluster);
    }

    public LockManager locks() {
        return locks;
    }

    /** Currently open client connections. */
    public int openConnections() {
        return limits.open();
    }

    /**
     * Graceful shutdown (PROTOCOL.md §13): stop accepting, cancel blocked calls with
     * {@code error_draining}, close idle connections, give holders up to {@code timeout} to release
     * (zero = no limit), then force-close the rest and stop.
     */
    public synchronized void shutdownGracefully(Duration timeout) {
        if (closed) {
            return;
        }
        if (cluster != null) {
            // Before draining: the releases of the draining holders then go to the new leader at once.
            cluster.handOffLeadership();
        }
        LOG.log(Level.INFO, "draining: no new connections; waiting for holders to release");
        context.startDraining();
        if (sessions != null) {
            sessions.drain();
        }
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        for (Channel ch : channels) {
            ch.eventLoop().execute(() -> ServerPipeline.beginDrain(ch));
        }
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (!channels.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!channels.isEmpty()) {
            LOG.log(Level.WARNING, () -> "shutdown timeout: force-closing " + channels.size() + " connections");
        }
        close();
        // The last line of a SIGTERM'd server: operators wait for it before restarting.
        LOG.log(Level.INFO, "dflockd stopped");
    }

    /** Stops at once: closes every connection (running disconnect cleanup) and frees all threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cluster != null) {
            cluster.stopping(); // the connections closed below keep their locks in the cluster
        }
        if (gcTask != null) {
            gcTask.cancel(false);
        }
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (httpListener != null) {
            httpListener.close().syncUninterruptibly();
        }
        if (sessions != null) {
            sessions.closeAll();
        }
        channels.close().awaitUninterruptibly();
        httpChannels.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        fences.close();
        if (cluster != null) {
            try {
                cluster.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "stopping the cluster node: " + e.getMessage());
            }
        }
        terminated.complete(null);
    }
}
