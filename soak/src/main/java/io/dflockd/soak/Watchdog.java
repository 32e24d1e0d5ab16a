package io.dflockd.soak;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Invariant "every waiter is eventually granted or times out": each blocking call is registered with
 * the latest time its answer may arrive (its timeout plus a grace period, counted from the end of any
 * fault that overlapped it); a call still unanswered after that, while its server incarnation is still
 * running, is a lost waiter. {@code server} is the
 * process the call went to (a cluster node in cluster mode, where a call on a killed node is lost
 * legitimately and calls on the others may be slowed by an election: the grace is longer there).
 */
final class Watchdog implements Runnable {
    private record Call(String what, long sentAt, long timeoutNanos, long restartStamp, int server, int incarnation) {
    }

    private final ConcurrentHashMap<Long, Call> calls = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Incarnations incarnations;
    private final Verdict verdict;
    private final long graceNanos;

    Watchdog(Incarnations incarnations, Verdict verdict, long graceNanos) {
        this.incarnations = incarnations;
        this.verdict = verdict;
        this.graceNanos = graceNanos;
    }

    /** Registers a blocking call sent now with {@code timeoutSeconds}; returns its ticket. */
    long blocking(String what, long timeoutSeconds, int server, int incarnation) {
        long id = ids.incrementAndGet();
        calls.put(id, new Call(what, System.nanoTime(), timeoutSeconds * 1_000_000_000L, incarnations.restartStamp(),
                server, incarnation));
        return id;
    }

    /** The call answered (or failed). */
    void answered(long ticket) {
        calls.remove(ticket);
    }

    @Override
    public void run() {
        try {
            while (!verdict.awaitStop(200_000_000L)) {
                long now = System.nanoTime();
                for (Call c : calls.values()) {
                    if (overdue(c, now) && !incarnations.restarting(c.server())
                            && incarnations.current(c.server()) == c.incarnation()) {
                        verdict.violation("waiter lost", c.what() + " got neither a grant nor a timeout within its"
                                + " timeout + " + graceNanos / 1_000_000_000L + " s");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether timeout + grace have passed since the send, or, when a fault of any server overlapped
     * the call (in a cluster its timer or grant may need an entry that only a new leader can commit),
     * since the fault's end; never while a fault is in progress.
     */
    private boolean overdue(Call c, long now) {
        long from = c.sentAt();
        if (incarnations.restartOverlapped(c.restartStamp())) {
            if (incarnations.restarting()) {
                return false;
            }
            long end = incarnations.lastRestartEnd();
            from = end - from > 0 ? end : from;
        }
        return now - (from + c.timeoutNanos() + graceNanos) > 0;
    }
}
