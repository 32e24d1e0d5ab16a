package io.dflockd.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs one soak: starts (or connects to) the servers, lets the chaotic clients and the signal rounds
 * loose for the configured duration while restarting servers, then stops the clients and checks that
 * the servers are left clean.
 */
public final class SoakRunner {
    private static final long JOIN_GRACE_NANOS = 30_000_000_000L;

    private SoakRunner() {
    }

    /** Runs the soak described by {@code options}; never throws for an invariant violation. */
    public static SoakResult run(SoakOptions options) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dflockd-soak");
        boolean keep = true; // unless the run was green: the servers' logs are the evidence
        try (Servers servers = startServers(options, dir)) {
            SoakResult result = run(options, servers);
            keep = !result.green() || Boolean.getBoolean("dflockd.soak.keepTmp");
            return result;
        } finally {
            if (keep && !isEmpty(dir)) {
                System.err.println("dflockd-soak: the servers' files and logs are kept in " + dir);
            } else {
                deleteTree(dir);
            }
        }
    }

    private static Servers startServers(SoakOptions o, Path dir) throws IOException, InterruptedException {
        if (!o.external().isEmpty()) {
            return Servers.external(o.external());
        }
        if (o.cluster() > 0) {
            return new ClusterNodes(o.cluster(), o.serverJar(), dir, o.gcIntervalSeconds(), o.gcMaxIdleSeconds(),
                    o.seed() * 13);
        }
        if (o.embedded()) {
            return new InProcessServers(o.spawn(), dir, o.gcIntervalSeconds(), o.gcMaxIdleSeconds());
        }
        return new ChildServers(o.spawn(), o.serverJar(), dir, o.gcIntervalSeconds(), o.gcMaxIdleSeconds());
    }

    private static SoakResult run(SoakOptions o, Servers servers) throws InterruptedException {
        Verdict verdict = new Verdict();
        Metrics metrics = new Metrics();
        SoakContext ctx = new SoakContext(o, servers.addresses(), verdict, metrics);
        servers.onCatchUp(node -> {
            ctx.incarnations.caughtUpFromSnapshot(node);
            metrics.inc("faults.snapshot_catch_ups");
        });
        List<Thread> threads = new ArrayList<>();
        Thread watchdog = start(threads, ctx.watchdog, "soak-watchdog");
        for (int i = 0; i < o.clients(); i++) {
            start(threads, new LockWorker(ctx, "client#" + i, o.seed() * 31 + i), "soak-client-" + i);
        }
        if (o.plainListeners() + o.groupMembers() > 0) {
            start(threads, new SignalSoak(ctx, o.seed() * 17), "soak-signals");
        }
        startLeaderWatches(ctx, threads, o);
        start(threads, new DataSoak(ctx, o.seed() * 23), "soak-data");
        long began = System.nanoTime();
        chaos(o, servers, ctx, began);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
        verdict.stop();
        long joinBy = System.nanoTime() + JOIN_GRACE_NANOS;
        for (Thread t : threads) {
            t.join(Math.max(1, (joinBy - System.nanoTime()) / 1_000_000L));
            if (t.isAlive()) {
                verdict.violation("client hung", t.getName() + " did not stop within 30 s");
                t.interrupt();
            }
        }
        watchdog.join(1000);
        HistoryChecker.checkAll(ctx.history, ctx.ledger, verdict, metrics, began);
        if (verdict.firstViolation() == null) {
            long gc = servers.gcBoundSeconds();
            Duration quiesce = gc < 0 ? o.quiesceTimeout() : o.quiesceTimeout().plusSeconds(gc);
            new QuiesceCheck(ctx, quiesce).run();
        }
        return new SoakResult(verdict.firstViolation(), elapsed, ctx.servers.size(), ctx.cluster,
                metrics.snapshot());
    }

    /** One {@link LeaderWatch} per server over the lock keys it owns (one over all of them in a cluster). */
    private static void startLeaderWatches(SoakContext ctx, List<Thread> threads, SoakOptions o) {
        int servers = ctx.cluster ? 1 : ctx.servers.size();
        for (int server = 0; server < servers; server++) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < o.lockKeys(); i++) {
                if (ctx.serverOf(ctx.lockKey(i)) == server) {
                    keys.add(ctx.lockKey(i));
                }
            }
            if (!keys.isEmpty()) {
                start(threads, new LeaderWatch(ctx, "leader-watch#" + server, server, keys, o.seed() * 19 + server),
                        "soak-leader-watch-" + server);
            }
        }
    }

    /**
     * Waits out the duration, restarting one server every restart period (round robin), or in a
     * cluster injecting the next fault ({@link ClusterFaults}).
     */
    private static void chaos(SoakOptions o, Servers servers, SoakContext ctx, long began)
            throws InterruptedException {
        long end = began + o.duration().toNanos();
        boolean restarts = servers.restartable() && !o.restartEvery().isZero();
        ClusterFaults clusterFaults = servers instanceof ClusterNodes nodes ? new ClusterFaults(nodes, ctx, o.seed() * 7)
                : null;
        long period = restarts ? o.restartEvery().toNanos() : Long.MAX_VALUE;
        long nextRestart = restarts ? began + period : Long.MAX_VALUE;
        int faults = 0;
        while (!ctx.verdict.stopping()) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                return;
            }
            if (now - nextRestart >= 0) {
                if (clusterFaults != null) {
                    clusterFaults.inject(began);
                } else {
                    restart(servers, ctx, servers.victim(faults++));
                }
                nextRestart = System.nanoTime() + period;
                continue;
            }
            long wait = Math.min(end, nextRestart) - now;
            ctx.verdict.awaitStop(Math.min(wait, 500_000_000L));
        }
    }

    private static void restart(Servers servers, SoakContext ctx, int index) {
        Incarnations inc = ctx.incarnations;
        inc.restartBegins(index);
        try {
            servers.restart(index, at -> inc.stopping(index, at), () -> inc.died(index));
            ctx.metrics.inc("restarts");
        } catch (IOException e) {
            ctx.verdict.violation("restart failed", "server#" + index + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.verdict.violation("restart failed", "interrupted");
        } finally {
            inc.restartEnds(index);
        }
    }

    private static Thread start(List<Thread> threads, Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
