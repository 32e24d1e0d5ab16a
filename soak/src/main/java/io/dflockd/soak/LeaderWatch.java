package io.dflockd.soak;

import io.dflockd.client.DflockdException;
import io.dflockd.client.LeaderEvent;
import io.dflockd.client.SignalConn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Invariant "an observer learns of every leadership change, in order" (PROTOCOL.md §7.12): one
 * observing connection watches a set of lock keys (standalone: the keys of one server; in a cluster:
 * every lock key, through a random node, another one after each reconnect). The clients elect, lock,
 * release, resign, expire and vanish on those keys; for each key the pushed events must follow the
 * leadership of the key:
 *
 * <pre>
 *   led      --resigned--> resigned   --failover|elected--> led
 *   led      --failover--> led        (the leader's lease ran out or it vanished; a candidate took over)
 *   led      --lost------> free       --elected--> led
 * </pre>
 *
 * Any other event is a lost or invented one. A key's state is unknown after (re)connecting until its
 * first event. A connection loss ends the check of what came through it; in a cluster, so does a
 * snapshot install of the observer's node (it pushes nothing for what the snapshot skipped), which the
 * watch learns of up to 2 s late, so a bad step is only reported once no catch-up explains it.
 */
final class LeaderWatch implements Runnable {
    enum State { UNKNOWN, LED, RESIGNED, FREE }

    private record Pushed(long connection, LeaderEvent event) {
    }

    private final SoakContext ctx;
    private final String name;
    private final int server;
    private final List<String> keys;
    private final Random rnd;
    private final LinkedBlockingQueue<Pushed> events = new LinkedBlockingQueue<>();
    private final Map<String, State> states = new HashMap<>();
    private long connection;
    private int endpoint;
    private long catchUpsAtConnect;

    /** @param server the logical server whose {@code keys} are watched (0 in a cluster) */
    LeaderWatch(SoakContext ctx, String name, int server, List<String> keys, long seed) {
        this.ctx = ctx;
        this.name = name;
        this.server = server;
        this.keys = List.copyOf(keys);
        this.rnd = new Random(seed);
    }

    @Override
    public void run() {
        try {
            while (!ctx.verdict.stopping()) {
                watchOneConnection();
                Thread.sleep(100 + rnd.nextInt(200));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watchOneConnection() throws InterruptedException {
        long id = ++connection;
        endpoint = ctx.endpointFor(server, rnd);
        catchUpsAtConnect = ctx.incarnations.catchUps(endpoint);
        states.clear();
        try (SignalConn conn = SignalConn.builder().config(ctx.client).server(ctx.servers.get(endpoint))
                .onLeaderEvent(e -> events.add(new Pushed(id, e))).connect()) {
            for (String key : keys) {
                states.put(key, State.UNKNOWN);
                conn.observe(key);
            }
            ctx.metrics.inc("leader_watch.connects");
            while (!ctx.verdict.stopping() && conn.isConnected()) {
                Pushed p = events.poll(200, TimeUnit.MILLISECONDS);
                if (p != null && p.connection() == id) {
                    step(p.event());
                }
            }
        } catch (DflockdException e) {
            // the node restarted, paused or was cut off: what came through is checked, start over
            ctx.metrics.inc("leader_watch.connection_lost");
        }
    }

    private void step(LeaderEvent e) throws InterruptedException {
        State from = states.get(e.key());
        if (from == null) {
            return; // a key this watch does not observe
        }
        ctx.metrics.inc("checks.leader_events");
        State to = next(from, e.kind());
        if (to != null) {
            states.put(e.key(), to);
            return;
        }
        if (explainedByCatchUp()) {
            ctx.metrics.inc("leader_watch.reset_after_catch_up");
            states.replaceAll((k, s) -> State.UNKNOWN);
            states.put(e.key(), next(State.UNKNOWN, e.kind()));
            return;
        }
        ctx.verdict.violation("leader event", name + " on " + e.key() + " (through "
                + (ctx.cluster ? "node#" : "server#") + endpoint + "): " + e.kind() + " while the key was " + from);
    }

    /** The state after {@code kind} in {@code from}; {@code null} for a step the leadership cannot take. */
    static State next(State from, LeaderEvent.Kind kind) {
        return switch (from) {
            case UNKNOWN -> kind == LeaderEvent.Kind.RESIGNED ? State.RESIGNED
                    : kind == LeaderEvent.Kind.LOST ? State.FREE : State.LED;
            case LED -> switch (kind) {
                case RESIGNED -> State.RESIGNED;
                case FAILOVER -> State.LED;
                case LOST -> State.FREE;
                case ELECTED -> null;
            };
            case RESIGNED -> kind == LeaderEvent.Kind.FAILOVER || kind == LeaderEvent.Kind.ELECTED ? State.LED : null;
            case FREE -> kind == LeaderEvent.Kind.ELECTED ? State.LED : null;
        };
    }

    /** In a cluster, whether the observer's node caught up from a snapshot since the connection opened. */
    private boolean explainedByCatchUp() throws InterruptedException {
        if (!ctx.cluster) {
            return false;
        }
        if (!ctx.incarnations.caughtUpSince(endpoint, catchUpsAtConnect)) {
            return false;
        }
        catchUpsAtConnect = ctx.incarnations.catchUps(endpoint);
        return true;
    }
}
