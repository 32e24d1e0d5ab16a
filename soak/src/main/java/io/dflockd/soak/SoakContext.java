package io.dflockd.soak;

import io.dflockd.client.ClientConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What every soak thread shares: settings, the servers, and the invariant checkers. */
final class SoakContext {
    final SoakOptions options;
    final List<InetSocketAddress> servers;
    final ClientConfig client;
    final Verdict verdict;
    final Metrics metrics;
    final Incarnations incarnations;
    final LiveLedger ledger;
    final FenceOrder fences;
    final FifoLedger fifo;
    final Watchdog watchdog;
    final long marginNanos;
    private final Map<String, FencedResource> resources = new ConcurrentHashMap<>();

    SoakContext(SoakOptions options, List<InetSocketAddress> servers, Verdict verdict, Metrics metrics) {
        this.options = options;
        this.servers = List.copyOf(servers);
        this.client = ClientConfig.builder().servers(servers).build();
        this.verdict = verdict;
        this.metrics = metrics;
        this.incarnations = new Incarnations(servers.size());
        this.ledger = new LiveLedger(incarnations, verdict, metrics);
        this.fences = new FenceOrder(servers.size(), verdict, metrics);
        this.fifo = new FifoLedger(verdict, metrics);
        this.watchdog = new Watchdog(incarnations, verdict, options.waiterGrace().toNanos());
        this.marginNanos = options.safetyMargin().toNanos();
    }

    /** Index of the server that owns {@code key} under the client's (CRC-32) sharding. */
    int serverOf(String key) {
        return servers.indexOf(client.serverFor(key));
    }

    String lockKey(int i) {
        return "soak.lock." + i;
    }

    String semKey(int i) {
        return "soak.sem." + i;
    }

    /** The guarded resource of a lock key. */
    FencedResource resource(String key) {
        return resources.computeIfAbsent(key, k -> new FencedResource());
    }
}
