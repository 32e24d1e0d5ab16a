package io.dflockd.soak;

import io.dflockd.client.DflockdConnection;
import io.dflockd.client.DflockdException;
import io.dflockd.client.DflockdIOException;
import io.dflockd.client.DrainingException;
import io.dflockd.client.ServerErrorException;
import java.time.Duration;
import java.util.Random;

/**
 * The connection a {@link DataRound} party plays on. In a cluster it names the party's stable
 * reference first (PROTOCOL.md §6.13), and a {@code bwait} lost with its connection (the node was
 * killed, or answered {@code error} and closed it: paused past the request timeout, cut off, caught up
 * from a snapshot) is re-sent, same key, count and timeout, on a new connection through another random
 * node that names the same reference, until the barrier timeout has passed since the first send. The
 * cluster must then count the party once: the re-send takes over the party the old connection left at
 * the barrier, or is answered how the barrier ended meanwhile. The rest of the round goes on over the
 * new connection. Standalone nothing is kept for a client, so nothing is re-sent.
 */
final class PartyConnection implements AutoCloseable {
    /** Between two tries, so that a node that refuses connections while it restarts is not hammered. */
    private static final long RETRY_PAUSE_MILLIS = 200;

    private final SoakContext ctx;
    private final String ref;
    private final Random rnd;
    private int endpoint;
    private DflockdConnection conn;
    private boolean resent;

    /**
     * Opens the party's connection through {@code endpoint}; {@code ref} is its stable reference,
     * sent in a cluster only.
     */
    PartyConnection(SoakContext ctx, int endpoint, String ref, Random rnd) {
        this.ctx = ctx;
        this.ref = ref;
        this.rnd = rnd;
        this.endpoint = endpoint;
        this.conn = connect(endpoint);
    }

    /** The connection the party plays on now (a new one after a re-send). */
    DflockdConnection connection() {
        return conn;
    }

    /** Whether the party re-sent its {@code bwait} on a new connection. */
    boolean resent() {
        return resent;
    }

    /**
     * {@code bwait} of {@code key} for {@code parties} with {@code timeout}, re-sent after a lost
     * connection in a cluster.
     *
     * @throws DflockdException the last connection's error, once the barrier timeout has passed
     */
    boolean bwait(String key, int parties, Duration timeout) throws InterruptedException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return conn.data().bwait(key, parties, timeout);
            } catch (DflockdIOException | DrainingException | ServerErrorException e) {
                conn.close();
                if (!ctx.cluster || System.nanoTime() - giveUp >= 0) {
                    throw e;
                }
                if (!resent) {
                    resent = true;
                    ctx.metrics.inc("data.barrier_reconnects");
                }
                reconnect(giveUp);
            }
        }
    }

    /** A connection through another node that names the reference, trying until {@code giveUp}. */
    private void reconnect(long giveUp) throws InterruptedException {
        while (true) {
            Thread.sleep(RETRY_PAUSE_MILLIS);
            int nodes = ctx.servers.size();
            endpoint = nodes == 1 ? endpoint : (endpoint + 1 + rnd.nextInt(nodes - 1)) % nodes;
            try {
                conn = connect(endpoint);
                return;
            } catch (DflockdIOException | DrainingException | ServerErrorException e) {
                if (System.nanoTime() - giveUp >= 0) {
                    throw e;
                }
            }
        }
    }

    private DflockdConnection connect(int through) {
        DflockdConnection c = DflockdConnection.open(ctx.client, ctx.servers.get(through));
        if (ctx.cluster) {
            try {
                c.stableRef(ref);
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    @Override
    public void close() {
        conn.close();
    }
}
