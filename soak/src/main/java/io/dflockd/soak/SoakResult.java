package io.dflockd.soak;

import java.time.Duration;
import java.util.Map;

/**
 * What a soak run found.
 *
 * @param violation the first invariant violation, or {@code null} when the run was green
 * @param elapsed how long the chaos phase actually ran
 * @param servers number of servers (of cluster nodes with {@code cluster})
 * @param cluster whether the servers were the nodes of one cluster
 * @param counters every counter of the run (ops by type, grants, checks, …)
 */
public record SoakResult(String violation, Duration elapsed, int servers, boolean cluster, Map<String, Long> counters) {
    /** Whether no invariant was violated. */
    public boolean green() {
        return violation == null;
    }

    /** A counter's value, 0 if absent. */
    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /** Sum of the counters whose names start with {@code prefix}. */
    public long sum(String prefix) {
        return counters.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** The human-readable summary. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(green() ? "dflockd-soak: GREEN" : "dflockd-soak: VIOLATION " + violation).append('\n');
        if (cluster) {
            b.append(String.format("  ran %.1f s against a %d-node cluster, %d fault(s): leader killed %d, follower"
                    + " killed %d, leader paused %d, leader partitioned %d, skewed restarts %d; snapshot catch-ups %d%n",
                    elapsed.toMillis() / 1000.0, servers, counter("faults"), counter("faults.kill_leader"),
                    counter("faults.kill_follower"), counter("faults.pause_leader"), counter("faults.partition_leader"),
                    counter("faults.skewed_restart"), counter("faults.snapshot_catch_ups")));
        } else {
            b.append(String.format("  ran %.1f s against %d server(s), %d restart(s)%n", elapsed.toMillis() / 1000.0,
                    servers, counter("restarts")));
        }
        b.append("  ops:");
        counters.forEach((k, v) -> {
            if (k.startsWith("op.")) {
                b.append(' ').append(k.substring(3)).append('=').append(v);
            }
        });
        b.append(String.format("%n  grants=%d timeouts=%d queued=%d forced-expiries=%d refused-after-expiry=%d%n",
                counter("outcome.granted"), counter("outcome.timeout"), counter("outcome.queued"),
                counter("forced_expiries"), counter("outcome.refused_after_expiry")));
        b.append(String.format("  fenced writes: accepted=%d stale-rejected=%d; overlapping live holders=%d%n",
                counter("writes.accepted"), counter("writes.stale_rejected"), counter("overlaps")));
        b.append(String.format("  checks: overlap=%d fence-order=%d fifo-pairs=%d history-keys=%d history-grants=%d"
                + " leader-events=%d quiesced-servers=%d%n", counter("checks.overlap"), counter("checks.fence"),
                counter("checks.fifo_pairs"), counter("checks.history_keys"), counter("checks.history_grants"),
                counter("checks.leader_events"), counter("checks.quiesce_servers_clean")));
        b.append(String.format("  signals: emitted=%d deliveries-checked=%d rounds=%d discarded-rounds=%d%n",
                counter("signals.emitted"), counter("signals.deliveries_checked"), counter("signals.rounds"),
                counter("signals.rounds_discarded")));
        b.append(String.format("  data: rounds=%d discarded-rounds=%d watch-events-checked=%d barrier-reconnects=%d"
                + " barrier-reconnects-verified=%d%n", counter("data.rounds"), counter("data.rounds_discarded"),
                counter("checks.data_watch_events"), counter("data.barrier_reconnects"),
                counter("data.barrier_reconnects_verified")));
        b.append(String.format("  connections: opened=%d lost-to-restart=%d", counter("connections.opened"),
                counter("connections.lost_to_restart")));
        if (cluster) {
            b.append(String.format("%n  cluster: errors-after-catch-up=%d errors-after-fault=%d"
                    + " fifo-entries-skipped-for-faults=%d partition-majority-grants=%d",
                    counter("outcome.error_after_catch_up"), counter("outcome.error_after_fault"),
                    counter("fifo.skipped_fault"), counter("partition.majority_grants")));
        }
        return b.toString();
    }

    /** The summary as one JSON object. */
    public String json() {
        StringBuilder b = new StringBuilder("{\"green\":").append(green()).append(",\"violation\":");
        b.append(violation == null ? "null" : quote(violation));
        b.append(",\"elapsed_s\":").append(elapsed.toMillis() / 1000.0).append(",\"servers\":").append(servers);
        b.append(",\"cluster\":").append(cluster);
        b.append(",\"counters\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            b.append(first ? "" : ",").append(quote(e.getKey())).append(':').append(e.getValue());
            first = false;
        }
        return b.append("}}").toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
