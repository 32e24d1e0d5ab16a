package io.dflockd.soak;

import io.dflockd.client.DflockdConnection;
import io.dflockd.client.DflockdException;
import io.dflockd.protocol.Stats;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Invariant "when all clients are gone, nothing is left": once every soak client has closed, each
 * server's stats must reach — within the deadline — no held locks, semaphores or read-write locks, no
 * waiters, no subscriptions, only the checker's own connection, and (after gc-interval + gc-max-idle)
 * no idle entries either.
 */
final class QuiesceCheck {
    private final SoakContext ctx;
    private final Duration timeout;

    QuiesceCheck(SoakContext ctx, Duration timeout) {
        this.ctx = ctx;
        this.timeout = timeout;
    }

    /** Returns when every server is clean; records a violation with the last stats otherwise. */
    void run() throws InterruptedException {
        for (int i = 0; i < ctx.servers.size(); i++) {
            if (!clean(i, ctx.servers.get(i))) {
                return;
            }
        }
    }

    private boolean clean(int index, InetSocketAddress server) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no stats";
        while (true) {
            try (DflockdConnection c = DflockdConnection.open(ctx.client, server)) {
                Stats s = c.stats();
                String left = leftovers(s);
                if (left.isEmpty()) {
                    ctx.metrics.inc("checks.quiesce_servers_clean");
                    return true;
                }
                last = left;
            } catch (DflockdException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() - deadline > 0) {
                ctx.verdict.violation("leftover state", "server#" + index + " still has, " + timeout.toSeconds()
                        + " s after all clients left: " + last);
                return false;
            }
            Thread.sleep(200);
        }
    }

    private static String leftovers(Stats s) {
        StringBuilder b = new StringBuilder();
        if (s.connections() != 1) {
            b.append(s.connections()).append(" connections (expected only the checker's); ");
        }
        if (!s.locks().isEmpty()) {
            b.append("locks ").append(s.locks()).append("; ");
        }
        if (!s.semaphores().isEmpty()) {
            b.append("semaphores ").append(s.semaphores()).append("; ");
        }
        if (!s.rwLocks().isEmpty()) {
            b.append("read-write locks ").append(s.rwLocks()).append("; ");
        }
        if (!s.signalChannels().isEmpty()) {
            b.append("signal channels ").append(s.signalChannels()).append("; ");
        }
        if (!s.watchChannels().isEmpty()) {
            b.append("watch channels ").append(s.watchChannels()).append("; ");
        }
        if (!s.barriers().isEmpty()) {
            b.append("barriers ").append(s.barriers()).append("; ");
        }
        if (s.lists().stream().anyMatch(l -> l.popWaiters() > 0)) {
            b.append("blocked pops ").append(s.lists()).append("; ");
        }
        if (!s.idleLocks().isEmpty() || !s.idleSemaphores().isEmpty()) {
            b.append("uncollected idle entries ").append(s.idleLocks()).append(s.idleSemaphores()).append("; ");
        }
        return b.toString();
    }
}
