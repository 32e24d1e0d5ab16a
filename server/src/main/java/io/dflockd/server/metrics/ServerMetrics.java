package io.dflockd.server.metrics;

import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.signal.ChannelStat;
import io.dflockd.server.signal.SignalEvents;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics (prefix {@code dflockd_}), one registry per server. Counters are
 * bumped where events happen (this is the {@link LockEvents} and {@link SignalEvents} of a server
 * with the HTTP port on); gauges read the live state at scrape time. On the lock hot path every
 * event is one or two {@link LongAdder} increments: no lock, no allocation.
 */
public final class ServerMetrics implements LockEvents, SignalEvents {
    /** Upper bounds of the acquire wait histogram, in seconds; an immediate grant counts 0. */
    static final double[] WAIT_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300};
    private static final long[] WAIT_BOUNDS_NANOS = new long[WAIT_BUCKETS.length];

    static {
        for (int i = 0; i < WAIT_BUCKETS.length; i++) {
            WAIT_BOUNDS_NANOS[i] = Math.round(WAIT_BUCKETS[i] * 1e9);
        }
    }

    /** What the gauges read at scrape time. */
    public interface State {
        int connections();

        boolean draining();

        List<ResourceSnapshot> resources();

        List<ChannelStat> signalChannels();

        /** Open HTTP sessions. */
        int httpSessions();

        /** This cluster node's Raft view, or {@code null} standalone (or once the node is closed). */
        Raft raft();
    }

    /** The Raft roles {@code dflockd_raft_role} has a series for, one of which is 1. */
    static final List<String> RAFT_ROLES = List.of("leader", "follower", "candidate", "listener");

    /**
     * A cluster node's Raft state at a scrape, from its {@code ClusterStatus} (kept free of cluster
     * types here).
     *
     * @param role          {@code leader}, {@code follower}, {@code candidate} or {@code listener}
     * @param leaderChanges leader changes the node has seen since it started
     */
    public record Raft(String role, long term, long commitIndex, long appliedIndex, long leaderChanges) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final long startNanos = System.nanoTime();
    private final State state;

    private final ByType grants;
    private final ByType releases;
    private final ByType expiries;
    private final ByType timeouts;
    private final CounterDataPoint authFailuresTcp;
    private final CounterDataPoint authFailuresHttp;
    private final Counter signalsPublished;
    private final Counter signalDeliveries;
    private final Counter signalDrops;
    private final Counter slowConsumerEvictions;
    private final Counter httpRequests;
    private final Histogram httpDuration;
    /** Non-cumulative counts per bucket; the last one is +Inf. */
    private final LongAdder[] waitBuckets = new LongAdder[WAIT_BUCKETS.length + 1];
    private final LongAdder waitSumNanos = new LongAdder();

    public ServerMetrics(State state) {
        this.state = state;
        for (int i = 0; i < waitBuckets.length; i++) {
            waitBuckets[i] = new LongAdder();
        }
        grants = typed("dflockd_grants_total", "Slots granted (locks and semaphore slots).");
        releases = typed("dflockd_releases_total",
                "Slots released by their holder, or by auto-release when its connection closed.");
        expiries = typed("dflockd_lease_expiries_total", "Leases that ran out before a release.");
        timeouts = typed("dflockd_acquire_timeouts_total", "Acquires and waits answered timeout, try-locks included.");
        Counter auth = Counter.builder().name("dflockd_auth_failures_total")
                .help("Failed authentications: TCP auth commands and HTTP bearer tokens.")
                .labelNames("listener").withoutExemplars().register(registry);
        authFailuresTcp = auth.labelValues("tcp");
        authFailuresHttp = auth.labelValues("http");
        signalsPublished = counter("dflockd_signals_published_total", "Signals published.");
        signalDeliveries = counter("dflockd_signal_deliveries_total",
                "Signal copies queued to receivers (each ungrouped connection and each group counts one).");
        signalDrops = counter("dflockd_signal_drops_total",
                "Signal copies not queued because the receiver's queue was full.");
        slowConsumerEvictions = counter("dflockd_signal_slow_consumer_evictions_total",
                "Connections closed as slow signal consumers.");
        httpRequests = Counter.builder().name("dflockd_http_requests_total").help("HTTP requests.")
                .labelNames("method", "path", "status").withoutExemplars().register(registry);
        httpDuration = Histogram.builder().name("dflockd_http_request_duration_seconds")
                .help("HTTP request duration in seconds.").labelNames("method", "path", "status")
                .classicOnly().classicUpperBounds(0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5)
                .withoutExemplars().register(registry);
        registry.register(this::collectState);
        JvmMetrics.builder().register(registry);
    }

    /** A counter's two series, bound once: picking one costs a comparison, not a label look-up. */
    private record ByType(CounterDataPoint lock, CounterDataPoint semaphore, CounterDataPoint rwlock) {
        /** {@code limit} as {@link io.dflockd.server.lock.LockEvents} gives it: 0 for a read-write lock. */
        void inc(int limit) {
            (limit == 1 ? lock : limit == 0 ? rwlock : semaphore).inc();
        }
    }

    private ByType typed(String name, String help) {
        Counter c = Counter.builder().name(name)
                .help(help + " type: lock (limit 1), semaphore, or rwlock (read-write lock, reads and writes).")
                .labelNames("type").withoutExemplars().register(registry);
        return new ByType(c.labelValues("lock"), c.labelValues("semaphore"), c.labelValues("rwlock"));
    }

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).withoutExemplars().register(registry);
    }

    // ---- events: the hot path ----

    @Override
    public void granted(int limit, long waitedNanos) {
        grants.inc(limit);
        int i = 0;
        while (i < WAIT_BOUNDS_NANOS.length && waitedNanos > WAIT_BOUNDS_NANOS[i]) {
            i++;
        }
        waitBuckets[i].increment();
        if (waitedNanos > 0) {
            waitSumNanos.add(waitedNanos);
        }
    }

    @Override
    public void released(int limit) {
        releases.inc(limit);
    }

    @Override
    public void expired(int limit) {
        expiries.inc(limit);
    }

    @Override
    public void timedOut(int limit) {
        timeouts.inc(limit);
    }

    @Override
    public void published(int delivered, int dropped, int evicted) {
        signalsPublished.inc();
        if (delivered > 0) {
            signalDeliveries.inc(delivered);
        }
        if (dropped > 0) {
            signalDrops.inc(dropped);
        }
        if (evicted > 0) {
            slowConsumerEvictions.inc(evicted);
        }
    }

    /** A failed TCP {@code auth} (or a first command that was not one). */
    public void tcpAuthFailed() {
        authFailuresTcp.inc();
    }

    /** A request on the HTTP port without the right bearer token. */
    public void httpAuthFailed() {
        authFailuresHttp.inc();
    }

    /**
     * One answered HTTP request.
     *
     * @param path the route's path, or {@code "unmatched"}: never the raw path, which would let
     *             clients create series at will
     */
    public void httpRequest(String method, String path, int status, long nanos) {
        String s = Integer.toString(status);
        httpRequests.labelValues(method, path, s).inc();
        httpDuration.labelValues(method, path, s).observe(nanos / 1e9);
    }

    // ---- scrape ----

    /** The Prometheus text exposition (format 0.0.4) of every metric. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    /** The content type of {@link #scrape()}. */
    public String contentType() {
        return writer.getContentType();
    }

    private MetricSnapshots collectState() {
        int heldLocks = 0;
        int lockWaiters = 0;
        int semaphoreHolders = 0;
        int semaphoreWaiters = 0;
        int rwHolders = 0;
        int rwWaiters = 0;
        int keys = 0;
        for (ResourceSnapshot r : state.resources()) {
            keys++;
            if (r.limit() == 1) {
                heldLocks += r.holders() > 0 ? 1 : 0;
                lockWaiters += r.waiters();
            } else if (r.readWrite()) {
                rwHolders += r.holders();
                rwWaiters += r.waiters();
            } else {
                semaphoreHolders += r.holders();
                semaphoreWaiters += r.waiters();
            }
        }
        int listeners = 0;
        for (ChannelStat c : state.signalChannels()) {
            listeners += c.listeners();
        }
        List<MetricSnapshot> snapshots = new ArrayList<>(List.of(
                gauge("dflockd_ready", "1 while the server takes new work, 0 while draining.",
                        state.draining() ? 0 : 1),
                gauge("dflockd_uptime_seconds", "Seconds since the server started.",
                        (System.nanoTime() - startNanos) / 1e9),
                gauge("dflockd_connections", "Open TCP client connections plus HTTP sessions.", state.connections()),
                gauge("dflockd_http_sessions", "Open HTTP sessions.", state.httpSessions()),
                gauge("dflockd_keys", "Keys (locks, semaphores and read-write locks, idle ones included) that exist now.",
                        keys),
                gauge("dflockd_locks_held", "Currently held locks.", heldLocks),
                gauge("dflockd_lock_waiters", "Requests queued for a lock.", lockWaiters),
                gauge("dflockd_semaphore_holders", "Currently held semaphore slots.", semaphoreHolders),
                gauge("dflockd_semaphore_waiters", "Requests queued for a semaphore slot.", semaphoreWaiters),
                gauge("dflockd_rwlock_holders", "Current read-write lock holders (readers and writers).", rwHolders),
                gauge("dflockd_rwlock_waiters", "Requests queued for a read-write lock.", rwWaiters),
                gauge("dflockd_signal_listeners", "Signal subscriptions (each group counts its members).",
                        listeners),
                waitHistogram()));
        Raft raft = state.raft();
        if (raft != null) {
            raftMetrics(raft, snapshots);
        }
        return new MetricSnapshots(snapshots);
    }

    private static void raftMetrics(Raft raft, List<MetricSnapshot> out) {
        GaugeSnapshot.Builder role = GaugeSnapshot.builder().name("dflockd_raft_role")
                .help("1 for this node's current Raft role, 0 for the others.");
        for (String r : RAFT_ROLES) {
            role.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("role", r))
                    .value(r.equals(raft.role()) ? 1 : 0).build());
        }
        out.add(role.build());
        out.add(gauge("dflockd_raft_term", "This node's current Raft term.", raft.term()));
        out.add(gauge("dflockd_raft_commit_index", "The last log index this node knows to be committed.",
                raft.commitIndex()));
        out.add(gauge("dflockd_raft_applied_index", "The last log index applied to this node's lock state.",
                raft.appliedIndex()));
        out.add(CounterSnapshot.builder().name("dflockd_raft_leader_changes")
                .help("Times this node learnt of a new Raft leader, its first election included.")
                .dataPoint(CounterDataPointSnapshot.builder().value(raft.leaderChanges()).build()).build());
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private HistogramSnapshot waitHistogram() {
        double[] bounds = new double[WAIT_BUCKETS.length + 1];
        System.arraycopy(WAIT_BUCKETS, 0, bounds, 0, WAIT_BUCKETS.length);
        bounds[WAIT_BUCKETS.length] = Double.POSITIVE_INFINITY;
        long[] counts = new long[bounds.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = waitBuckets[i].sum();
        }
        return HistogramSnapshot.builder().name("dflockd_acquire_wait_seconds")
                .help("Time from an acquire or enqueue to its grant; an immediate grant counts 0.")
                .dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(waitSumNanos.sum() / 1e9).build())
                .build();
    }

    /** A {@link State} from suppliers, for a standalone server without HTTP sessions (benchmarks). */
    public static State state(IntSupplier connections, BooleanSupplier draining,
            Supplier<List<ResourceSnapshot>> resources, Supplier<List<ChannelStat>> channels) {
        return state(connections, () -> 0, draining, resources, channels, () -> null);
    }

    /**
     * A {@link State} from suppliers, for wiring.
     *
     * @param raft the node's Raft view; a supplier of {@code null} standalone
     */
    public static State state(IntSupplier connections, IntSupplier httpSessions, BooleanSupplier draining,
            Supplier<List<ResourceSnapshot>> resources, Supplier<List<ChannelStat>> channels,
            Supplier<Raft> raft) {
        return new State() {
            @Override
            public int connections() {
                return connections.getAsInt();
            }

            @Override
            public boolean draining() {
                return draining.getAsBoolean();
            }

            @Override
            public List<ResourceSnapshot> resources() {
                return resources.get();
            }

            @Override
            public List<ChannelStat> signalChannels() {
                return channels.get();
            }

            @Override
            public int httpSessions() {
                return httpSessions.getAsInt();
            }

            @Override
            public Raft raft() {
                return raft.get();
            }
        };
    }
}
