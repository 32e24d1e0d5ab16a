package io.dflockd.server.cluster;

import io.dflockd.server.time.Scheduler;
import java.util.TreeSet;

/**
 * The replicated lock manager's timers (CLUSTER-DESIGN.md §2.3): data, not threads. A timer never
 * fires by itself; {@link #runUntil} runs every timer whose due time replicated time reaches,
 * in {@code (due, orderKind, orderId)} order, a function of the lock state, so replicas agree on
 * which of two simultaneous expiries hands out the next fence. A final sequence number (also
 * replicated: it counts schedules in log order) breaks the remaining ties, which only ever involve
 * the same holder's timers.
 *
 * <p>Confined to the apply thread.
 */
final class ReplicatedTimers implements Scheduler {
    private record Timer(long due, int kind, long id, long seq, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due, o.due);
            if (c == 0) {
                c = Integer.compare(kind, o.kind);
            }
            if (c == 0) {
                c = Long.compare(id, o.id);
            }
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** Order kind of timers scheduled without one; they run after the ordered ones of the same instant. */
    private static final int UNORDERED = Integer.MAX_VALUE;

    private final TreeSet<Timer> timers = new TreeSet<>();
    private final ApplyClock clock;
    private long sequence;

    ReplicatedTimers(ApplyClock clock) {
        this.clock = clock;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        return schedule(task, delayNanos, UNORDERED, 0);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos, int orderKind, long orderId) {
        long now = clock.nanoTime();
        long due = delayNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + delayNanos;
        Timer t = new Timer(due, orderKind, orderId, sequence++, task);
        timers.add(t);
        return () -> timers.remove(t);
    }

    /**
     * Moves replicated time to {@code target}, running on the way, in order, every timer due by then
     * (including ones they schedule), each with the clock at its own due time. So a timer sees the
     * time it was set for, as with one thread per timer: a renewed holder's earlier timer finds its
     * deadline still ahead and re-arms for it, and expiries happen in deadline order whatever timers
     * a replica carries from its history (a replica restored from a snapshot carries none).
     */
    void runUntil(long target) {
        while (!timers.isEmpty() && timers.first().due() <= target) {
            Timer next = timers.pollFirst();
            clock.advanceTo(next.due());
            next.task().run();
        }
        clock.advanceTo(target);
    }

    /** The due time of the earliest timer, or {@link Long#MAX_VALUE} when none is armed. */
    long firstDue() {
        return timers.isEmpty() ? Long.MAX_VALUE : timers.first().due();
    }
}
