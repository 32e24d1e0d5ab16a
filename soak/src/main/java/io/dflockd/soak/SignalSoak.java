package io.dflockd.soak;

import io.dflockd.client.DflockdConnection;
import io.dflockd.client.DflockdException;
import io.dflockd.client.Signal;
import io.dflockd.client.SignalConn;
import io.dflockd.protocol.Stats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Signals under churn. The run is a sequence of rounds: first membership changes (listeners
 * reconnect, members move between queue groups or leave them), then — with membership stable — a
 * burst of signals with unique ids. Checked per round: the publisher's delivered count, every plain
 * listener gets every signal exactly once (one of them through two overlapping patterns, so
 * per-connection de-duplication is exercised), every non-empty group gets every signal exactly once
 * across its members, and no client-side or server-side slow-consumer drop happens.
 */
final class SignalSoak implements Runnable {
    private static final String PATTERN = "soak.sig.>";
    private static final String SECOND_PATTERN = "soak.sig.*";
    private static final int SIGNALS_PER_ROUND = 20;
    private static final long DELIVERY_DEADLINE_NANOS = 15_000_000_000L;

    /** One listening connection and, for group members, the group it is in (null = none). */
    private final class Listener {
        final String name;
        final boolean plain;
        SignalConn conn;
        String group;
        final Map<String, Integer> received = new HashMap<>();

        Listener(String name, boolean plain) {
            this.name = name;
            this.plain = plain;
        }

        void connect() {
            conn = SignalConn.builder().config(ctx.client).connect();
            ctx.metrics.inc("signals.connects");
            if (plain) {
                conn.listen(PATTERN);
                if (name.endsWith("#0")) {
                    conn.listen(SECOND_PATTERN);
                }
            } else if (group != null) {
                conn.listen(PATTERN, group);
            }
        }

        void close() {
            if (conn != null) {
                conn.close();
            }
        }
    }

    private final SoakContext ctx;
    private final Random rnd;
    private final List<Listener> listeners = new ArrayList<>();
    private DflockdConnection publisher;
    private int incarnation;
    /**
     * Restart stamp of server#0 (every signal connection's server) taken at the start of the round (or
     * connect); a restart of it since voids the round.
     */
    private long restartStamp;
    /** Whether the last round ran to its verification (not abandoned because of a restart). */
    private boolean previousRoundVerified;
    private long round;

    SignalSoak(SoakContext ctx, long seed) {
        this.ctx = ctx;
        this.rnd = new Random(seed);
        for (int i = 0; i < ctx.options.plainListeners(); i++) {
            listeners.add(new Listener("plain#" + i, true));
        }
        for (int i = 0; i < ctx.options.groupMembers(); i++) {
            listeners.add(new Listener("member#" + i, false));
        }
    }

    @Override
    public void run() {
        try {
            while (!ctx.verdict.stopping()) {
                try {
                    if (publisher == null) {
                        connectAll();
                    }
                    round();
                } catch (DflockdException e) {
                    if (!restartInterfered()) {
                        ctx.verdict.violation("signal connection failed", e.getMessage());
                    }
                    ctx.metrics.inc("signals.rounds_discarded");
                    closeAll();
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeAll();
        }
    }

    private boolean restartInterfered() {
        return ctx.incarnations.restartOverlapped(0, restartStamp) || ctx.incarnations.current(0) != incarnation;
    }

    private void connectAll() {
        restartStamp = ctx.incarnations.restartStamp(0);
        incarnation = ctx.incarnations.current(0);
        publisher = DflockdConnection.open(ctx.client, ctx.servers.get(0));
        for (Listener l : listeners) {
            l.connect();
        }
    }

    private void closeAll() {
        for (Listener l : listeners) {
            l.close();
            l.conn = null;
        }
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }

    private void round() throws InterruptedException {
        round++;
        restartStamp = ctx.incarnations.restartStamp(0);
        churn();
        if (!awaitMembership()) {
            return;
        }
        int groups = (int) listeners.stream().filter(l -> l.group != null).map(l -> l.group).distinct().count();
        long plain = listeners.stream().filter(l -> l.plain).count();
        settleLeftovers();
        for (int i = 0; i < SIGNALS_PER_ROUND; i++) {
            int delivered = publisher.emitSignal("soak.sig." + (i % 3), "r" + round + "-" + i);
            ctx.metrics.inc("signals.emitted");
            if (delivered != plain + groups && !restartInterfered()) {
                ctx.verdict.violation("signal delivered count", "round " + round + " signal " + i + ": delivered "
                        + delivered + ", expected " + plain + " plain listeners + " + groups + " groups");
                return;
            }
        }
        if (!collect(groups)) {
            return;
        }
        for (Listener l : listeners) {
            l.conn.ping(); // replies follow the pushes already written: a barrier for late duplicates
        }
        drain();
        if (restartInterfered()) {
            ctx.metrics.inc("signals.rounds_discarded");
            return;
        }
        verify(groups);
        previousRoundVerified = true;
        ctx.metrics.inc("signals.rounds");
        Thread.sleep(20 + rnd.nextInt(80));
    }

    /**
     * Empties the listeners before a burst. A round abandoned because some server restarted leaves
     * its signals in flight; a ping barrier collects them (replies follow earlier pushes) and they are
     * dropped. After a verified round nothing may be left: its own barrier already saw every copy.
     */
    private void settleLeftovers() {
        for (Listener l : listeners) {
            l.received.clear(); // what the previous round already counted
            l.conn.ping();
        }
        drain();
        int leftovers = 0;
        for (Listener l : listeners) {
            leftovers += l.received.values().stream().mapToInt(Integer::intValue).sum();
        }
        if (leftovers > 0 && previousRoundVerified) {
            ctx.verdict.violation("stray signal", leftovers + " signals arrived after round " + (round - 1)
                    + " had been verified complete");
        }
        ctx.metrics.add("signals.leftovers_of_abandoned_rounds", previousRoundVerified ? 0 : leftovers);
        previousRoundVerified = false;
        for (Listener l : listeners) {
            l.received.clear();
        }
    }

    /** Membership changes, made before the burst so membership is stable while it is delivered. */
    private void churn() {
        for (Listener l : listeners) {
            int roll = rnd.nextInt(100);
            if (roll < 10) {
                ctx.metrics.inc("signals.reconnects");
                l.close();
                if (!l.plain) {
                    l.group = pickGroup();
                }
                l.connect();
            } else if (!l.plain && roll < 40) {
                String next = pickGroup();
                if (l.group != null) {
                    l.conn.unlisten(PATTERN, l.group);
                    ctx.metrics.inc("signals.unlisten");
                }
                if (next != null) {
                    l.conn.listen(PATTERN, next);
                    ctx.metrics.inc("signals.listen");
                }
                l.group = next;
            }
        }
    }

    /**
     * A closed connection's subscriptions leave the server asynchronously; the burst starts only once
     * the server's stats show exactly the intended membership (which also checks that disconnects
     * remove subscriptions and group memberships).
     */
    private boolean awaitMembership() throws InterruptedException {
        Map<String, Integer> expected = new HashMap<>();
        for (Listener l : listeners) {
            if (l.plain) {
                expected.merge(PATTERN + " ungrouped", 1, Integer::sum);
                if (l.name.endsWith("#0")) {
                    expected.merge(SECOND_PATTERN + " ungrouped", 1, Integer::sum);
                }
            } else if (l.group != null) {
                expected.merge(PATTERN + " group " + l.group, 1, Integer::sum);
            }
        }
        long deadline = System.nanoTime() + DELIVERY_DEADLINE_NANOS;
        Map<String, Integer> actual = new HashMap<>();
        while (true) {
            actual.clear();
            for (Stats.SignalChannelStat c : publisher.stats().signalChannels()) {
                actual.put(c.pattern() + (c.group() == null ? " ungrouped" : " group " + c.group()), c.listeners());
            }
            if (actual.equals(expected)) {
                return true;
            }
            if (restartInterfered()) {
                ctx.metrics.inc("signals.rounds_discarded");
                return false;
            }
            if (System.nanoTime() - deadline > 0) {
                ctx.verdict.violation("subscriptions", "server shows " + actual + " but the listeners hold "
                        + expected);
                return false;
            }
            Thread.sleep(5);
        }
    }

    private String pickGroup() {
        int g = rnd.nextInt(ctx.options.groups() + 1);
        return g == ctx.options.groups() ? null : "g" + g;
    }

    private void drain() {
        List<Signal> batch = new ArrayList<>();
        for (Listener l : listeners) {
            batch.clear();
            l.conn.signals().drainTo(batch);
            for (Signal s : batch) {
                if (s.isEnd()) {
                    continue;
                }
                l.received.merge(s.payload(), 1, Integer::sum);
            }
        }
    }

    /** Waits until every plain listener and every group has all signals of the round. */
    private boolean collect(int groups) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_DEADLINE_NANOS;
        while (true) {
            drain();
            if (complete(groups)) {
                return true;
            }
            if (restartInterfered()) {
                ctx.metrics.inc("signals.rounds_discarded");
                return false;
            }
            if (System.nanoTime() - deadline > 0) {
                verify(groups);
                ctx.verdict.violation("signal lost", "round " + round + ": not every listener and group got all "
                        + SIGNALS_PER_ROUND + " signals within " + DELIVERY_DEADLINE_NANOS / 1_000_000_000L + " s");
                return false;
            }
            Thread.sleep(5);
        }
    }

    private boolean complete(int groups) {
        for (Listener l : listeners) {
            if (l.plain && l.received.size() < SIGNALS_PER_ROUND) {
                return false;
            }
        }
        return byGroup().values().stream().allMatch(m -> m.size() >= SIGNALS_PER_ROUND)
                && byGroup().size() == groups;
    }

    private Map<String, Map<String, Integer>> byGroup() {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        for (Listener l : listeners) {
            if (l.group != null) {
                Map<String, Integer> ids = out.computeIfAbsent(l.group, g -> new HashMap<>());
                l.received.forEach((id, n) -> ids.merge(id, n, Integer::sum));
            }
        }
        return out;
    }

    /** Exactly-once per plain listener and per group, nothing stray, no drops, no evictions. */
    private void verify(int groups) {
        for (Listener l : listeners) {
            if (l.conn.droppedSignals() > 0 || !l.conn.isConnected()) {
                ctx.verdict.violation("slow-consumer drop", l.name + " dropped " + l.conn.droppedSignals()
                        + " signals, connected=" + l.conn.isConnected());
                return;
            }
            if (l.group == null && !l.plain && !l.received.isEmpty()) {
                ctx.verdict.violation("stray signal", l.name + " is in no group but got " + l.received.keySet());
                return;
            }
            if (l.plain) {
                exactlyOnce(l.name, l.received);
                ctx.metrics.add("signals.deliveries_checked", l.received.size());
            }
        }
        Map<String, Map<String, Integer>> groupIds = byGroup();
        groupIds.forEach((g, ids) -> exactlyOnce("group " + g, ids));
        groupIds.values().forEach(ids -> ctx.metrics.add("signals.deliveries_checked", ids.size()));
    }

    private void exactlyOnce(String who, Map<String, Integer> ids) {
        String prefix = "r" + round + "-";
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                ctx.verdict.violation("stray signal", who + " got " + e.getKey() + " during round " + round);
                return;
            }
            if (e.getValue() != 1) {
                ctx.verdict.violation("signal duplicated", who + " got " + e.getKey() + " " + e.getValue() + " times");
                return;
            }
        }
        if (ids.size() != SIGNALS_PER_ROUND) {
            ctx.verdict.violation("signal lost", who + " got " + ids.size() + " of " + SIGNALS_PER_ROUND
                    + " signals in round " + round);
        }
    }
}
