package io.dflockd.server.time;

import java.time.Duration;
import java.util.PriorityQueue;

/** A hand-driven clock and scheduler: tasks run only inside {@link #advance}, at their exact due time. */
public final class ManualTime implements Clock, Scheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_000_000_000_000L;
    private long sequence;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayNanos) {
        long due = delayNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + delayNanos;
        Task t = new Task(due, sequence++, task);
        tasks.add(t);
        return () -> {
            synchronized (ManualTime.this) {
                tasks.remove(t);
            }
        };
    }

    /** Moves time forward, running every task that falls due on the way, in due order. */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = next.due;
            }
            next.task.run();
        }
    }

    /** Moves time forward without running the tasks that fall due: timers that are late. */
    public synchronized void jump(Duration d) {
        now += d.toNanos();
    }

    /** Number of scheduled, not yet run or cancelled tasks. */
    public synchronized int pending() {
        return tasks.size();
    }

    private record Task(long due, long seq, Runnable task) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
