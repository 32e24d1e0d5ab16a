package io.dflockd.soak;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a soak run, parsed from the command line ({@link #parse}) or built in code
 * ({@link #defaults()} and the {@code with…} methods).
 *
 * @param duration how long the chaos phase runs
 * @param clients concurrent lock/semaphore clients
 * @param lockKeys number of lock keys the clients contend on
 * @param semKeys number of semaphore keys
 * @param semLimit the semaphores' limit
 * @param rwKeys number of read-write lock keys
 * @param maxLeaseSeconds leases are drawn from 1..this, short so expiry happens
 * @param plainListeners ungrouped signal listeners
 * @param groupMembers signal connections that move between queue groups
 * @param groups number of queue groups
 * @param spawn servers the tool starts as child processes (0 with --servers or --embedded)
 * @param embedded servers run inside this JVM instead of as child processes
 * @param cluster nodes of the one cluster the tool starts as child processes (0: standalone servers)
 * @param external servers given with --servers (not restartable)
 * @param serverJar the server jar used for child processes
 * @param restartEvery restart one of the tool's own servers this often (zero: never)
 * @param safetyMargin subtracted from every lease when deciding what the client knows to be live
 * @param waiterGrace how long past its timeout a blocking call may take before it counts as lost
 * @param gcIntervalSeconds --gc-interval of the tool's own servers
 * @param gcMaxIdleSeconds --gc-max-idle of the tool's own servers
 * @param quiesceTimeout how long the servers get to become clean after the clients left
 * @param seed random seed (runs are not deterministic: threads interleave freely)
 * @param json print the summary as one JSON object
 */
public record SoakOptions(Duration duration, int clients, int lockKeys, int semKeys, int semLimit, int rwKeys,
        int maxLeaseSeconds, int plainListeners, int groupMembers, int groups, int spawn, boolean embedded,
        int cluster, List<InetSocketAddress> external, Path serverJar, Duration restartEvery, Duration safetyMargin,
        Duration waiterGrace, long gcIntervalSeconds, long gcMaxIdleSeconds, Duration quiesceTimeout, long seed,
        boolean json) {

    /** Usage text for --help. */
    public static final String USAGE = String.join("\n",
            "Usage: dflockd-soak [options]",
            "  --duration D            chaos phase length, e.g. 90s, 10m (default 60s)",
            "  --clients N             lock/semaphore clients (default 24)",
            "  --lock-keys N           lock keys (default 3)",
            "  --sem-keys N            semaphore keys (default 2)",
            "  --sem-limit N           semaphore limit (default 3)",
            "  --rw-keys N             read-write lock keys (default 2)",
            "  --max-lease S           leases are 1..S seconds (default 3)",
            "  --listeners N           plain signal listeners (default 3)",
            "  --group-members N       signal connections moving between groups (default 4)",
            "  --groups N              queue groups (default 2)",
            "  --spawn N               start N servers from the server jar (default 1)",
            "  --server-jar PATH       server jar for --spawn and --cluster (default server/target/dflockd-server.jar)",
            "  --embedded              run the servers inside this JVM instead",
            "  --cluster N             start one cluster of N nodes (3 or 5) from the server jar instead;",
            "                          every client connects to a random node, and every --restart-every",
            "                          one fault: SIGKILL of the leader or a follower, SIGSTOP of the leader",
            "                          for 2-8 s, a restart with a skewed clock, or a 5-15 s partition of the",
            "                          leader (each kind once per round of five, in an order from --seed)",
            "  --servers H:P[,H:P]     use running servers (dedicated to the soak; no restarts)",
            "  --restart-every D       SIGKILL and restart one own server this often (with --cluster: the",
            "                          pause before the next fault), 0 = never (default 20s)",
            "  --safety-margin-ms MS   lease safety margin (default 50)",
            "  --waiter-grace D        extra time a blocking call may take past its timeout (default 10s;",
            "                          5 s more with --cluster, for elections)",
            "  --gc-interval S         own servers' --gc-interval (default 1)",
            "  --gc-max-idle S         own servers' --gc-max-idle (default 2)",
            "  --quiesce-timeout D     time for servers to become clean after the run (default 30s)",
            "  --seed N                random seed (default: time based)",
            "  --json                  print the summary as JSON",
            "  --help                  this text");

    /** The defaults: one child server, 60 s. */
    public static SoakOptions defaults() {
        return new SoakOptions(Duration.ofSeconds(60), 24, 3, 2, 3, 2, 3, 3, 4, 2, 1, false, 0, List.of(),
                Path.of("server/target/dflockd-server.jar"), Duration.ofSeconds(20), Duration.ofMillis(50),
                Duration.ofSeconds(10), 1, 2, Duration.ofSeconds(30), System.nanoTime(), false);
    }

    /** Same settings, servers embedded in this JVM. */
    public SoakOptions withEmbedded(int servers) {
        return new SoakOptions(duration, clients, lockKeys, semKeys, semLimit, rwKeys, maxLeaseSeconds,
                plainListeners, groupMembers, groups, servers, true, 0, List.of(), serverJar, restartEvery, safetyMargin, waiterGrace,
                gcIntervalSeconds, gcMaxIdleSeconds, quiesceTimeout, seed, json);
    }

    /** Same settings, {@code servers} child processes started from {@code jar}. */
    public SoakOptions withChildServers(int servers, Path jar) {
        return new SoakOptions(duration, clients, lockKeys, semKeys, semLimit, rwKeys, maxLeaseSeconds,
                plainListeners, groupMembers, groups, servers, false, 0, List.of(), jar, restartEvery, safetyMargin, waiterGrace,
                gcIntervalSeconds, gcMaxIdleSeconds, quiesceTimeout, seed, json);
    }

    /** Same settings, one cluster of {@code nodes} child processes started from {@code jar}. */
    public SoakOptions withCluster(int nodes, Path jar) {
        return new SoakOptions(duration, clients, lockKeys, semKeys, semLimit, rwKeys, maxLeaseSeconds,
                plainListeners, groupMembers, groups, 0, false, nodes, List.of(), jar, restartEvery, safetyMargin, waiterGrace,
                gcIntervalSeconds, gcMaxIdleSeconds, quiesceTimeout, seed, json);
    }

    /** Same settings, another duration and restart period. */
    public SoakOptions withTiming(Duration newDuration, Duration newRestartEvery) {
        return new SoakOptions(newDuration, clients, lockKeys, semKeys, semLimit, rwKeys, maxLeaseSeconds,
                plainListeners, groupMembers, groups, spawn, embedded, cluster, external, serverJar, newRestartEvery, safetyMargin,
                waiterGrace, gcIntervalSeconds, gcMaxIdleSeconds, quiesceTimeout, seed, json);
    }

    /**
     * Parses command-line arguments.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad argument
     */
    public static SoakOptions parse(String[] args) {
        OptionParser p = new OptionParser(args);
        SoakOptions d = defaults();
        Duration duration = d.duration;
        int clients = d.clients;
        int lockKeys = d.lockKeys;
        int semKeys = d.semKeys;
        int semLimit = d.semLimit;
        int rwKeys = d.rwKeys;
        int maxLease = d.maxLeaseSeconds;
        int listeners = d.plainListeners;
        int members = d.groupMembers;
        int groups = d.groups;
        int spawn = d.spawn;
        boolean embedded = false;
        int cluster = 0;
        boolean spawnGiven = false;
        List<InetSocketAddress> external = new ArrayList<>();
        Path jar = d.serverJar;
        Duration restartEvery = d.restartEvery;
        Duration margin = d.safetyMargin;
        Duration grace = d.waiterGrace;
        long gcInterval = d.gcIntervalSeconds;
        long gcMaxIdle = d.gcMaxIdleSeconds;
        Duration quiesce = d.quiesceTimeout;
        long seed = d.seed;
        boolean json = false;
        while (p.hasNext()) {
            String flag = p.next();
            switch (flag) {
                case "--duration": duration = p.duration(flag, false); break;
                case "--clients": clients = p.count(flag, 1); break;
                case "--lock-keys": lockKeys = p.count(flag, 1); break;
                case "--sem-keys": semKeys = p.count(flag, 0); break;
                case "--sem-limit": semLimit = p.count(flag, 2); break;
                case "--rw-keys": rwKeys = p.count(flag, 0); break;
                case "--max-lease": maxLease = p.count(flag, 1); break;
                case "--listeners": listeners = p.count(flag, 0); break;
                case "--group-members": members = p.count(flag, 0); break;
                case "--groups": groups = p.count(flag, 1); break;
                case "--spawn": spawn = p.count(flag, 1); spawnGiven = true; break;
                case "--server-jar": jar = Path.of(p.value(flag)); break;
                case "--embedded": embedded = true; break;
                case "--cluster": cluster = p.count(flag, 3); break;
                case "--servers": external = p.addresses(flag); break;
                case "--restart-every": restartEvery = p.duration(flag, true); break;
                case "--safety-margin-ms": margin = Duration.ofMillis(p.count(flag, 0)); break;
                case "--waiter-grace": grace = p.duration(flag, false); break;
                case "--gc-interval": gcInterval = p.count(flag, 1); break;
                case "--gc-max-idle": gcMaxIdle = p.count(flag, 0); break;
                case "--quiesce-timeout": quiesce = p.duration(flag, false); break;
                case "--seed": seed = p.number(flag); break;
                case "--json": json = true; break;
                default: throw new IllegalArgumentException("unknown option " + flag + " (see --help)");
            }
        }
        if (embedded && !external.isEmpty()) {
            throw new IllegalArgumentException("--embedded and --servers exclude each other");
        }
        if (cluster > 0) {
            if (cluster != 3 && cluster != 5) {
                throw new IllegalArgumentException("--cluster must be 3 or 5, got " + cluster);
            }
            if (embedded || !external.isEmpty() || spawnGiven) {
                throw new IllegalArgumentException("--cluster excludes --spawn, --embedded and --servers");
            }
            spawn = 0;
        }
        if (!external.isEmpty()) {
            spawn = external.size();
            restartEvery = Duration.ZERO;
        }
        return new SoakOptions(duration, clients, lockKeys, semKeys, semLimit, rwKeys, maxLease, listeners, members, groups,
                spawn, embedded, cluster, List.copyOf(external), jar, restartEvery, margin, grace, gcInterval,
                gcMaxIdle, quiesce, seed, json);
    }
}
