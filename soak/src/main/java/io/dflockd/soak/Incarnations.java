package io.dflockd.soak;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which run ("incarnation") of each server process a connection talked to. A connection is labelled
 * with the incarnation current <em>before</em> it connected; a connection cannot outlive the server
 * process it reached. When a standalone server's restart begins ({@link #stopping}) the holds
 * granted through the old incarnation count as ended from the instant its stop began. A restarted
 * cluster node is {@link #replaced} instead: the cluster keeps a dead node's holds until their leases
 * end (the new run's {@code NodeUp} abandons the old sessions, it does not release them). A label that
 * is too old only shortens what the checks consider live, which keeps them sound.
 *
 * <p>Restarts are also tracked per server, so that a connection failure or a slow answer is excused
 * only by a restart of the process it talked to, plus one count over all servers ({@link #restartStamp()}).
 */
public final class Incarnations {
    private final AtomicIntegerArray current;
    private final ConcurrentHashMap<Long, Long> diedAt = new ConcurrentHashMap<>();
    private final AtomicLong restartEvents = new AtomicLong();
    private final AtomicLong faults = new AtomicLong();
    /** {@link System#nanoTime()} when the last restart (or pause, or partition) of any server ended. */
    private volatile long lastRestartEnd = System.nanoTime();
    private final AtomicLongArray serverEvents;
    private final AtomicLongArray catchUps;

    /** @param servers number of server processes */
    public Incarnations(int servers) {
        current = new AtomicIntegerArray(servers);
        serverEvents = new AtomicLongArray(servers);
        catchUps = new AtomicLongArray(servers);
    }

    /** The incarnation of {@code server} that new connections will reach. */
    public int current(int server) {
        return current.get(server);
    }

    /**
     * Marks the start of a restart of {@code server} (in a cluster also of a pause or a partition of
     * it): its connection losses are expected from now on.
     */
    public void restartBegins(int server) {
        serverEvents.incrementAndGet(server);
        restartEvents.incrementAndGet();
        faults.incrementAndGet();
    }

    /**
     * The current incarnation of {@code server} is about to be stopped: its holds end from
     * {@code nanoTime} on. Recorded before the stop begins, since a stopping in-process server may
     * hand a slot over while it closes connections, and the check of that grant must already see
     * the old holds cut. New connections still count as this incarnation's until {@link #died}.
     */
    public void stopping(int server, long nanoTime) {
        diedAt.putIfAbsent(key(server, current.get(server)), nanoTime);
    }

    /**
     * The current incarnation of {@code server} is gone (its holds end when {@link #stopping} said,
     * else now): new connections reach the next one.
     */
    public void died(int server) {
        stopping(server, System.nanoTime());
        current.incrementAndGet(server);
        faults.incrementAndGet();
    }

    /**
     * A cluster node was restarted: new connections reach its next run. Unlike {@link #died} the holds
     * granted through the old run are not cut: the cluster keeps them until their leases end.
     */
    public void replaced(int server) {
        current.incrementAndGet(server);
        faults.incrementAndGet();
    }

    /**
     * A count of fault instants: each restart moves it when it begins (the kill) and when it reports
     * the death (standalone: the stop; cluster: the relaunch, when the new run ends the old sessions).
     * Unlike {@link #restartStamp()} it does not move when a restarted process is ready again.
     */
    public long faultStamp() {
        return faults.get();
    }

    /** Marks the end of a restart of {@code server} (the new incarnation accepts connections). */
    public void restartEnds(int server) {
        lastRestartEnd = System.nanoTime();
        serverEvents.incrementAndGet(server);
        restartEvents.incrementAndGet();
    }

    /** When the last restart of any server ended (the stamp moved after this was written). */
    public long lastRestartEnd() {
        return lastRestartEnd;
    }

    /** A stamp over all servers to take before an operation; see {@link #restartOverlapped(long)}. */
    public long restartStamp() {
        return restartEvents.get();
    }

    /** A stamp of {@code server} alone; see {@link #restartOverlapped(int, long)}. */
    public long restartStamp(int server) {
        return serverEvents.get(server);
    }

    /**
     * Whether a restart of any server was in progress at some moment since {@code stamp} was taken.
     * Each restart moves the count twice (begin, end), so odd values are taken during one, and while
     * two overlap (they never do: restarts run one at a time) the parity would still change.
     */
    public boolean restartOverlapped(long stamp) {
        return (stamp & 1) == 1 || restartEvents.get() != stamp;
    }

    /** As {@link #restartOverlapped(long)}, for restarts of {@code server} only. */
    public boolean restartOverlapped(int server, long stamp) {
        return (stamp & 1) == 1 || serverEvents.get(server) != stamp;
    }

    /** Whether a restart of any server is in progress. */
    public boolean restarting() {
        return (restartEvents.get() & 1) == 1;
    }

    /** Whether a restart of {@code server} is in progress. */
    public boolean restarting(int server) {
        return (serverEvents.get(server) & 1) == 1;
    }

    /** When incarnation {@code label} of {@code server} died, or {@link Long#MAX_VALUE} if it runs. */
    public long deathOf(int server, int label) {
        Long t = diedAt.get(key(server, label));
        return t == null ? Long.MAX_VALUE : t;
    }

    /**
     * Cluster node {@code server} replaced its state with the leader's snapshot; it answers
     * {@code error} to every request it had pending (their outcome can no longer be known).
     */
    public void caughtUpFromSnapshot(int server) {
        catchUps.incrementAndGet(server);
    }

    /** How often {@code server} has caught up from a snapshot so far. */
    public long catchUps(int server) {
        return catchUps.get(server);
    }

    /**
     * Whether {@code server} has caught up from a snapshot since its count was {@code seen}, waiting up
     * to 2 s for it: the node logs the catch-up before it acts on it, but the soak reads that log on
     * another thread.
     */
    public boolean caughtUpSince(int server, long seen) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (catchUps.get(server) == seen) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static long key(int server, int gen) {
        return ((long) server << 32) | (gen & 0xffffffffL);
    }
}
