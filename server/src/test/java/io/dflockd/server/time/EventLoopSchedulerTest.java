package io.dflockd.server.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The production scheduler on real event loops (the lock manager's logic is tested with ManualTime). */
class EventLoopSchedulerTest {
    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private final EventLoopScheduler scheduler = new EventLoopScheduler(group);

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void runsNoEarlierThanTheDelayFromAnyThread() throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Long> ranAt = new CompletableFuture<>();
        scheduler.schedule(() -> ranAt.complete(System.nanoTime()), TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(ranAt.get(5, TimeUnit.SECONDS) - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aTaskScheduledFromALoopRunsOnThatLoop() throws Exception {
        CompletableFuture<Boolean> sameLoop = new CompletableFuture<>();
        var loop = group.next();
        loop.execute(() -> scheduler.schedule(() -> sameLoop.complete(loop.inEventLoop()), 1_000_000));
        assertThat(sameLoop.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void cancelledTaskNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Scheduler.Cancellable c = scheduler.schedule(() -> ran.set(true), TimeUnit.MILLISECONDS.toNanos(30));
        c.cancel();
        // A later task on every loop has run, so the cancelled one (due earlier) would have too: a
        // loop runs its timers in deadline order. (One more task through the scheduler would land on
        // the next loop of the group, not necessarily the cancelled task's.)
        List<EventExecutor> loops = new ArrayList<>();
        group.forEach(loops::add);
        CountDownLatch later = new CountDownLatch(loops.size());
        loops.forEach(loop -> loop.schedule(later::countDown, 100, TimeUnit.MILLISECONDS));
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isFalse();
    }

    @Test
    void nothingIsScheduledOnceTheLoopsAreStopping() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        assertThat(scheduler.schedule(() -> { }, 1)).isSameAs(Scheduler.Cancellable.NONE);
    }
}
