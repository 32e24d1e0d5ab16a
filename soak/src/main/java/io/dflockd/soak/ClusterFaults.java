package io.dflockd.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The faults of a cluster soak (CLUSTER-DESIGN.md §5.3), one at a time, each kind once in every
 * round of five in an order drawn from the seed: SIGKILL of the leader or of a follower (restarted
 * on its Raft directory), SIGSTOP of the leader for 2–8 s (a long GC pause), a restart of a node
 * whose clock is then skewed (±1 h, or a rate of 1 ± 0.0005), and a partition of the leader from its
 * peers for 5–15 s with its client port left open ({@link RaftProxy}).
 *
 * <p>For the checks, each fault is a disturbance of its node ({@link Incarnations#restartBegins} to
 * {@link Incarnations#restartEnds}): its connections may fail or answer {@code error} meanwhile, and
 * FIFO pairs across it are skipped. A restart starts a new incarnation; the holds granted through the
 * old one stay live in the ledger until their leases end, because the new run's {@code NodeUp}
 * abandons the old sessions (their slots stay taken until the leases end) rather than releasing them.
 */
final class ClusterFaults {
    enum Kind { KILL_LEADER, KILL_FOLLOWER, PAUSE_LEADER, SKEWED_RESTART, PARTITION_LEADER }

    private static final long HOUR_NANOS = 3_600_000_000_000L;
    /** How long a partition may last at most while the majority side has not granted yet. */
    private static final long PROGRESS_TIMEOUT_NANOS = 30_000_000_000L;

    private final ClusterNodes nodes;
    private final SoakContext ctx;
    private final Random rnd;
    private final List<Kind> round = new ArrayList<>();
    /** Which skew the next skewed restart gets: they take turns, from a seeded start. */
    private int nextSkew;

    ClusterFaults(ClusterNodes nodes, SoakContext ctx, long seed) {
        this.nodes = nodes;
        this.ctx = ctx;
        this.rnd = new Random(seed);
        this.nextSkew = rnd.nextInt(4);
    }

    /** The kind of the next fault: the rest of the current round, or a new round in a seeded order. */
    Kind nextKind() {
        if (round.isEmpty()) {
            Collections.addAll(round, Kind.values());
            Collections.shuffle(round, rnd);
        }
        return round.remove(0);
    }

    /** Injects the next fault and waits until it is over; {@code began} is the run's start, for the log line. */
    void inject(long began) throws InterruptedException {
        Kind kind = nextKind();
        long picking = System.nanoTime();
        int leader = nodes.leader();
        int victim;
        String role;
        if (leader < 0) {
            victim = rnd.nextInt(nodes.size());
            role = "unknown_role";
        } else if (kind == Kind.KILL_FOLLOWER || kind == Kind.SKEWED_RESTART && rnd.nextBoolean()) {
            victim = (leader + 1 + rnd.nextInt(nodes.size() - 1)) % nodes.size();
            role = "follower";
        } else {
            victim = leader;
            role = "leader";
        }
        long start = System.nanoTime();
        Incarnations inc = ctx.incarnations;
        inc.restartBegins(victim);
        String what;
        try {
            what = switch (kind) {
                case KILL_LEADER, KILL_FOLLOWER -> restart(victim, Map.of(), "SIGKILL");
                case SKEWED_RESTART -> restart(victim, skew(), "restart with a skewed clock");
                case PAUSE_LEADER -> pause(victim);
                case PARTITION_LEADER -> partition(victim);
            };
        } catch (IOException e) {
            ctx.verdict.violation("fault failed", kind + " of node n" + (victim + 1) + ": " + e.getMessage());
            return;
        } finally {
            inc.restartEnds(victim);
        }
        ctx.metrics.inc("faults." + kind.name().toLowerCase(Locale.ROOT));
        ctx.metrics.inc("faults");
        if (leader < 0) {
            ctx.metrics.inc("faults.victim_of_unknown_role");
        }
        // One line per fault on stderr: when, what, whom, and how long it lasted.
        System.err.printf("dflockd-soak: %.1f s: %s of node n%d (%s, picked in %.1f s), over after %.1f s%n",
                (start - began) / 1e9, what, victim + 1, role, (start - picking) / 1e9,
                (System.nanoTime() - start) / 1e9);
    }

    private String restart(int victim, Map<String, String> env, String what) throws IOException,
            InterruptedException {
        nodes.restart(victim, env, () -> ctx.incarnations.replaced(victim));
        ctx.metrics.inc("restarts");
        return env.isEmpty() ? what : what + " " + env;
    }

    /**
     * A clock ahead or behind by an hour, or running fast or slow by 0.05 % (inside the design's ρ);
     * the four take turns, so every fourth skewed restart repeats one.
     */
    private Map<String, String> skew() {
        String offset = "DFLOCKD_UNSAFE_TEST_CLOCK_OFFSET_NS";
        String rate = "DFLOCKD_UNSAFE_TEST_CLOCK_RATE";
        Map<String, String> env = switch (nextSkew++ % 4) {
            case 0 -> Map.of(offset, Long.toString(HOUR_NANOS));
            case 1 -> Map.of(offset, Long.toString(-HOUR_NANOS));
            case 2 -> Map.of(rate, "1.0005");
            default -> Map.of(rate, "0.9995");
        };
        Map<String, String> all = new TreeMap<>(env);
        all.put("DFLOCKD_UNSAFE_TEST", "1");
        return all;
    }

    private String pause(int victim) throws IOException, InterruptedException {
        long millis = 2000 + rnd.nextInt(6001);
        nodes.pause(victim, millis);
        return String.format("SIGSTOP for %.1f s", millis / 1e3);
    }

    /**
     * Cuts the node off for 5–15 s, and longer (up to {@link #PROGRESS_TIMEOUT_NANOS}) until the
     * majority side has granted once: it must (a violation otherwise), while the cut-off node must not
     * grant what needs a commit ({@link PartitionWatch}). On a loaded machine the majority's election
     * alone has taken 5 s.
     */
    private String partition(int victim) throws InterruptedException {
        long millis = 5000 + rnd.nextInt(10_001);
        PartitionWatch watch = ctx.partitions;
        nodes.proxy().isolate(victim);
        watch.isolated(victim);
        long cut = System.nanoTime();
        long before = watch.grantsAvoiding(victim);
        try {
            boolean stopping = ctx.verdict.awaitStop(millis * 1_000_000L);
            while (!stopping && watch.grantsAvoiding(victim) == before
                    && System.nanoTime() - cut < PROGRESS_TIMEOUT_NANOS) {
                stopping = ctx.verdict.awaitStop(100_000_000L);
            }
        } finally {
            watch.healing();
            nodes.proxy().heal();
        }
        long lasted = System.nanoTime() - cut;
        long majority = watch.grantsAvoiding(victim) - before;
        ctx.metrics.add("partition.majority_grants", majority);
        if (majority == 0 && !ctx.verdict.stopping()) {
            ctx.verdict.violation("no progress", "no grant through the majority side during a "
                    + lasted / 1_000_000 + " ms partition of node n" + (victim + 1));
        }
        return String.format("partition for %.1f s (%d grants on the majority side)", lasted / 1e9, majority);
    }
}
