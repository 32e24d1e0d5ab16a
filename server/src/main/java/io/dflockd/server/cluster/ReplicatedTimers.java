package io.dflockd.server.cluster;

import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import java.util.TreeSet;

/**
 * The replicated lock manager's timers (CLUSTER-DESIGN.md §2.3): data, not threads. A timer never
 * fires by itself; {@link #runDue} runs every timer whose due time the replicated clock has reached,
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
    private final Clock clock;
    private long sequence;

    ReplicatedTimers(Clock clock) {
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

    /** Runs, in order, every timer due at or before {@code now}, including ones they schedule. */
    void runDue(long now) {
        while (!timers.isEmpty() && timers.first().due() <= now) {
            timers.pollFirst().task().run();
        }
    }

    /** The due time of the earliest timer, or {@link Long#MAX_VALUE} when none is armed. */
    long firstDue() {
        return timers.isEmpty() ? Long.MAX_VALUE : timers.first().due();
    }

    int size() {
        return timers.size();
    }
}
