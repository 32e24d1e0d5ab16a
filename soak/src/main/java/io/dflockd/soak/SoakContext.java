package io.dflockd.soak;

import io.dflockd.client.ClientConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every soak thread shares: settings, the servers, and the invariant checkers.
 *
 * <p>Two numberings: a <em>server</em> is one logical lock service whose holders and fences are
 * checked together (each standalone server; the whole cluster is server 0), an <em>endpoint</em> is
 * one process clients connect to and that restarts ({@link #servers}: the standalone servers, or the
 * cluster's nodes). Standalone they coincide.
 */
final class SoakContext {
    /** Extra waiter grace in cluster mode: calls through surviving nodes wait out elections. */
    static final long CLUSTER_EXTRA_GRACE_NANOS = 5_000_000_000L;

    final SoakOptions options;
    /** The endpoints' addresses. */
    final List<InetSocketAddress> servers;
    /** Whether the endpoints are the nodes of one cluster. */
    final boolean cluster;
    final ClientConfig client;
    final Verdict verdict;
    final Metrics metrics;
    final Incarnations incarnations;
    final LiveLedger ledger;
    final FenceOrder fences;
    final FifoLedger fifo;
    final PartitionWatch partitions;
    final KeyHistories history = new KeyHistories();
    final Watchdog watchdog;
    final long marginNanos;
    private final Map<String, FencedResource> resources = new ConcurrentHashMap<>();

    SoakContext(SoakOptions options, List<InetSocketAddress> servers, Verdict verdict, Metrics metrics) {
        this.options = options;
        this.servers = List.copyOf(servers);
        this.cluster = options.cluster() > 0;
        this.client = ClientConfig.builder().servers(servers).build();
        this.verdict = verdict;
        this.metrics = metrics;
        this.incarnations = new Incarnations(servers.size());
        this.ledger = new LiveLedger(incarnations, verdict, metrics);
        this.fences = new FenceOrder(cluster ? 1 : servers.size(), verdict, metrics);
        this.fifo = new FifoLedger(verdict, metrics);
        this.partitions = new PartitionWatch(servers.size(), verdict);
        this.watchdog = new Watchdog(incarnations, verdict,
                options.waiterGrace().toNanos() + (cluster ? CLUSTER_EXTRA_GRACE_NANOS : 0));
        this.marginNanos = options.safetyMargin().toNanos();
    }

    /** Index of the server that owns {@code key} under the client's (CRC-32) sharding; 0 in a cluster. */
    int serverOf(String key) {
        return cluster ? 0 : servers.indexOf(client.serverFor(key));
    }

    /** The endpoint a new connection to {@code server} goes to: itself, or a random cluster node. */
    int endpointFor(int server, java.util.Random rnd) {
        return cluster ? rnd.nextInt(servers.size()) : server;
    }

    String lockKey(int i) {
        return "soak.lock." + i;
    }

    String semKey(int i) {
        return "soak.sem." + i;
    }

    String rwKey(int i) {
        return "soak.rw." + i;
    }

    /** The guarded resource of a lock key or read-write lock key (its writers write). */
    FencedResource resource(String key) {
        return resources.computeIfAbsent(key, k -> new FencedResource());
    }
}
