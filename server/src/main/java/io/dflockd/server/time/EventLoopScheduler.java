package io.dflockd.server.time;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Production {@link Scheduler} on the server's own I/O event loops. A loop keeps its timers in a
 * priority queue and sleeps in {@code epoll_wait} (or {@code select}) exactly until the earliest one
 * is due, so a lease deadline is acted on within about a millisecond, and an idle server does no work
 * at all: unlike a ticking wheel, nothing wakes up while no timer is due.
 *
 * <p>A task is scheduled on the calling thread's loop when the caller is one of the group's loops
 * (the common case: a request being handled), which needs no cross-thread hand-off; any other caller
 * gets the next loop of the group. Any loop will do: the lock manager synchronises on the resource,
 * not on a thread.
 */
public final class EventLoopScheduler implements Scheduler {
    private final EventLoopGroup loops;
    /** The group's loops, copied once: looking up the caller's loop happens on every acquire. */
    private final EventExecutor[] members;

    public EventLoopScheduler(EventLoopGroup loops) {
        this.loops = loops;
        List<EventExecutor> all = new ArrayList<>();
        loops.forEach(all::add);
        this.members = all.toArray(new EventExecutor[0]);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        if (loops.isShuttingDown()) {
            return Cancellable.NONE; // the server is stopping: nothing will be served after the timer
        }
        ScheduledFuture<?> f = loopForCaller().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    private EventExecutor loopForCaller() {
        for (EventExecutor loop : members) {
            if (loop.inEventLoop()) {
                return loop;
            }
        }
        return loops.next();
    }
}
