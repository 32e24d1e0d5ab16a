package io.dflockd.soak;

import io.dflockd.client.DflockdException;
import io.dflockd.client.SignalConn;
import io.dflockd.client.WatchEvent;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counters, lists, compare-and-swap, barriers and watches under churn (PROTOCOL.md §6.16-6.20), in
 * rounds ({@link DataRound}). Checked per round:
 * <ul>
 *   <li>a barrier releases all its parties at once, and none before the last one arrived; in a cluster
 *       also when a party's {@code bwait} was lost with its node and re-sent through another node
 *       under the party's stable reference ({@link PartyConnection}): the re-send takes over the party
 *       the lost connection left at the barrier (an orphan under {@code --orphan-ttl}), so it is
 *       counted once, or is answered how the barrier ended meanwhile. Its arrival is its first send,
 *       so a party counted twice shows as a release before the last party arrived;</li>
 *   <li>concurrent increments of a counter answer 1..n, each value once;</li>
 *   <li>every item pushed onto a list is popped exactly once, each producer's in push order;</li>
 *   <li>compare-and-swap raises never get lost: the final value is the number of successful swaps;</li>
 *   <li>a watcher connected through the round (on another connection, in a cluster through another
 *       random node) is pushed every change of the round's keys, no more, no less.</li>
 * </ul>
 * When every call of a round was answered, its replies are checked whatever happened meanwhile. A
 * fault that overlapped the round (restart, pause, partition; in a cluster also a snapshot catch-up of
 * the watcher's node, which pushes nothing for what it skipped) excuses only what it can explain: an
 * error (a reply lost to a fault leaves its command's outcome unknown, so the round is discarded),
 * watch events missing at the deadline, and a barrier that timed out for every party. Without a
 * fault, each of these is a violation; and a barrier that timed out for every party is one even with
 * a fault when a party re-sent its {@code bwait}. The barrier is checked whenever every party got its
 * {@code bwait} answered, even if a later command failed and the rest of the round is discarded.
 * Metrics {@code data.barrier_reconnects} (parties that re-sent) and
 * {@code data.barrier_reconnects_verified} (re-sent parties of barriers that then passed the check)
 * show that the path was exercised.
 */
final class DataSoak implements Runnable {
    private static final long DELIVERY_DEADLINE_NANOS = 15_000_000_000L;

    private final SoakContext ctx;
    private final Random rnd;
    /** Names this run's stable references, so that no two runs against the same servers share one. */
    private final String runRef = "soak." + Long.toHexString(new SecureRandom().nextLong());
    private final ExecutorService parties = Executors.newFixedThreadPool(DataRound.PARTIES, r -> {
        Thread t = new Thread(r, "soak-data-party");
        t.setDaemon(true);
        return t;
    });
    private long round;

    DataSoak(SoakContext ctx, long seed) {
        this.ctx = ctx;
        this.rnd = new Random(seed);
    }

    @Override
    public void run() {
        try {
            while (!ctx.verdict.stopping()) {
                round();
                Thread.sleep(50 + rnd.nextInt(150));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            parties.shutdownNow();
        }
    }

    private void round() throws InterruptedException {
        DataRound r = new DataRound(++round, ctx.cluster);
        long stamp = stamp();
        int watcherEndpoint = endpoint();
        long catchUps = ctx.incarnations.catchUps(watcherEndpoint);
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        String failure = null;
        try (SignalConn watcher = SignalConn.builder().config(ctx.client).server(ctx.servers.get(watcherEndpoint))
                .onWatchEvent(e -> count(seen, r, e)).connect()) {
            watcher.watch(r.prefix + ".>");
            failure = play(r);
            if (failure == null) {
                awaitEvents(r, seen);
            }
        } catch (DflockdException e) {
            failure = "watcher: " + e.getMessage();
        }
        boolean faulted = interfered(stamp, watcherEndpoint, catchUps);
        if (r.barrierAnswered()) {
            // Checked even when a later command failed: a party's re-sent bwait must make it right.
            String barrier = r.barrierViolation(faulted);
            if (barrier != null) {
                ctx.verdict.violation("data round", "round " + round + ": " + barrier);
                return;
            }
            ctx.metrics.add("data.barrier_reconnects_verified", r.barrierResends());
        }
        if (failure != null) {
            // A reply lost to a fault leaves its command's outcome unknown: nothing of the round is checked.
            discardOrReport(faulted, failure);
            return;
        }
        String violation = r.violation(faulted);
        if (violation != null) {
            ctx.verdict.violation("data round", "round " + round + ": " + violation);
            return;
        }
        String events = eventViolation(r, seen);
        if (events != null) {
            // A fault may delay pushes past the deadline (a cut-off node), or skip them (a snapshot install).
            discardOrReport(faulted, events);
            return;
        }
        ctx.metrics.inc("data.rounds");
        ctx.metrics.add("checks.data_watch_events", seen.values().stream().mapToInt(AtomicInteger::get).sum());
    }

    private void discardOrReport(boolean faulted, String what) {
        if (faulted) {
            ctx.metrics.inc("data.rounds_discarded");
        } else {
            ctx.verdict.violation("data round", "round " + round + ": " + what);
        }
    }

    /**
     * Plays the round's parties, each on a connection named by a reference unique to the run, round
     * and party, and waits for every one (a barrier is checked only when each party has its answer);
     * the first error, or {@code null}.
     */
    private String play(DataRound r) throws InterruptedException {
        List<PartyConnection> conns = new ArrayList<>();
        try {
            for (int p = 0; p < DataRound.PARTIES; p++) {
                String ref = runRef + "." + round + "." + p;
                conns.add(new PartyConnection(ctx, endpoint(), ref, new Random(rnd.nextLong())));
            }
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < DataRound.PARTIES; p++) {
                int party = p;
                long seed = rnd.nextLong();
                done.add(parties.submit(() -> {
                    r.play(party, conns.get(party), new Random(seed));
                    return null;
                }));
            }
            String failure = null;
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure = failure != null ? failure : "party: " + e.getCause();
                }
            }
            if (failure == null) {
                r.settle(conns.get(0).connection());
            }
            return failure;
        } catch (DflockdException e) {
            return e.getMessage();
        } finally {
            conns.forEach(PartyConnection::close);
        }
    }

    private static void count(Map<String, AtomicInteger> seen, DataRound r, WatchEvent e) {
        if (e.key().startsWith(r.prefix + ".")) {
            seen.computeIfAbsent(e.type(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Waits until the watcher has every expected event (a cluster node pushes as it applies). */
    private void awaitEvents(DataRound r, Map<String, AtomicInteger> seen) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_DEADLINE_NANOS;
        while (eventViolation(r, seen) != null && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
    }

    private static String eventViolation(DataRound r, Map<String, AtomicInteger> seen) {
        for (String event : seen.keySet()) {
            if (!DataRound.EVENTS.contains(event)) {
                return "the watcher got a `" + event + "` event for the round's keys";
            }
        }
        for (String event : DataRound.EVENTS) {
            AtomicInteger n = seen.get(event);
            int got = n == null ? 0 : n.get();
            if (got != r.expectedEvents(event)) {
                return "the watcher got " + got + " `" + event + "` events, the round made " + r.expectedEvents(event);
            }
        }
        return null;
    }

    private int endpoint() {
        return ctx.endpointFor(0, rnd);
    }

    /** Standalone every round is on server#0; in a cluster, a fault of any node counts. */
    private long stamp() {
        return ctx.cluster ? ctx.incarnations.restartStamp() : ctx.incarnations.restartStamp(0);
    }

    private boolean interfered(long stamp, int watcherEndpoint, long catchUps) throws InterruptedException {
        if (ctx.cluster) {
            return ctx.incarnations.restartOverlapped(stamp) || ctx.incarnations.restarting()
                    || ctx.incarnations.caughtUpSince(watcherEndpoint, catchUps);
        }
        return ctx.incarnations.restartOverlapped(0, stamp) || ctx.incarnations.restarting(0);
    }
}
