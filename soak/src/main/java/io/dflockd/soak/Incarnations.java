package io.dflockd.soak;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Which run ("incarnation") of each server a connection talked to. A connection is labelled with the
 * incarnation current <em>before</em> it connected; a connection cannot outlive the server process
 * it reached, so everything it was granted ends at the latest when that incarnation died. A label
 * that is too old only shortens what the checks consider live, which keeps them sound.
 */
public final class Incarnations {
    private final AtomicIntegerArray current;
    private final ConcurrentHashMap<Long, Long> diedAt = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong restartEvents = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean restarting;

    /** @param servers number of servers */
    public Incarnations(int servers) {
        current = new AtomicIntegerArray(servers);
    }

    /** The incarnation of {@code server} that new connections will reach. */
    public int current(int server) {
        return current.get(server);
    }

    /** Marks the start of a restart: connection losses are expected from now on. */
    public void restartBegins() {
        restarting = true;
        restartEvents.incrementAndGet();
    }

    /** Records that the current incarnation of {@code server} died at {@code nanoTime}. */
    public void died(int server, long nanoTime) {
        int gen = current.get(server);
        diedAt.put(key(server, gen), nanoTime);
        current.incrementAndGet(server);
    }

    /** Marks the end of a restart (the new incarnation accepts connections). */
    public void restartEnds() {
        restarting = false;
        restartEvents.incrementAndGet();
    }

    /** A stamp to take before an operation; see {@link #restartOverlapped}. */
    public long restartStamp() {
        return restartEvents.get();
    }

    /**
     * Whether a restart was in progress at some moment since {@code stamp} was taken (odd stamps are
     * taken during a restart). Checking {@link #restarting()} only afterwards would miss a restart
     * that ended while the operation was failing.
     */
    public boolean restartOverlapped(long stamp) {
        return (stamp & 1) == 1 || restartEvents.get() != stamp;
    }

    /** Whether a restart is in progress. */
    public boolean restarting() {
        return restarting;
    }

    /** When incarnation {@code label} of {@code server} died, or {@link Long#MAX_VALUE} if it runs. */
    public long deathOf(int server, int label) {
        Long t = diedAt.get(key(server, label));
        return t == null ? Long.MAX_VALUE : t;
    }

    private static long key(int server, int gen) {
        return ((long) server << 32) | (gen & 0xffffffffL);
    }
}
