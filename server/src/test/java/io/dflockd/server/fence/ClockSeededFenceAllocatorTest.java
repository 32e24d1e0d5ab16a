package io.dflockd.server.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockSeededFenceAllocatorTest {
    private static final long SEED = 1_715_000_000_123_456_789L;

    @Test
    void firstFenceIsSeedPlusOne() throws Exception {
        try (FenceAllocator a = new ClockSeededFenceAllocator(() -> SEED)) {
            assertThat(a.next()).isEqualTo(SEED + 1);
            assertThat(a.next()).isEqualTo(SEED + 2);
        }
    }

    @Test
    void clockBefore1970IsClampedSoFencesStayPositive() throws Exception {
        try (FenceAllocator a = new ClockSeededFenceAllocator(() -> -5L)) {
            assertThat(a.next()).isEqualTo(1L);
        }
    }

    @Test
    void exhaustionPastLongMaxValueFails() throws Exception {
        try (FenceAllocator a = new ClockSeededFenceAllocator(() -> Long.MAX_VALUE - 2)) {
            assertThat(a.next()).isEqualTo(Long.MAX_VALUE - 1);
            assertThat(a.next()).isEqualTo(Long.MAX_VALUE);
            assertThatThrownBy(a::next).isInstanceOf(FenceException.class).hasMessageContaining("exhausted");
            assertThatThrownBy(a::next).isInstanceOf(FenceException.class).hasMessageContaining("exhausted");
        }
    }

    @Test
    void strictlyIncreasingAndUniqueUnderConcurrency() throws Exception {
        int threads = 4;
        int perThread = 100_000;
        long[][] got = collectConcurrently(new ClockSeededFenceAllocator(() -> SEED), threads, perThread);
        long[] all = new long[threads * perThread];
        for (int t = 0; t < threads; t++) {
            for (int i = 1; i < perThread; i++) {
                assertThat(got[t][i]).as("thread %d call %d", t, i).isGreaterThan(got[t][i - 1]);
            }
            System.arraycopy(got[t], 0, all, t * perThread, perThread);
        }
        Arrays.sort(all);
        assertThat(all[0]).isGreaterThan(SEED);
        for (int i = 1; i < all.length; i++) {
            assertThat(all[i]).as("duplicate fence").isNotEqualTo(all[i - 1]);
        }
    }

    @Test
    void wallClockNanosIsUnixTimeInNanoseconds() {
        long before = System.currentTimeMillis() * 1_000_000L;
        long now = FenceAllocators.wallClockNanos();
        long after = (System.currentTimeMillis() + 1) * 1_000_000L;
        assertThat(now).isBetween(before, after);
    }

    @Test
    void factoryWithoutStateFileSeedsFromTheClock() throws Exception {
        try (FenceAllocator a = FenceAllocators.open(null, () -> SEED)) {
            assertThat(a).isInstanceOf(ClockSeededFenceAllocator.class);
            assertThat(a.next()).isEqualTo(SEED + 1);
        }
    }

    /** Runs {@code perThread} calls of {@link FenceAllocator#next()} on each thread, started together. */
    static long[][] collectConcurrently(FenceAllocator a, int threads, int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    long[] out = new long[perThread];
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        out[i] = a.next();
                    }
                    return out;
                }));
            }
            start.countDown();
            long[][] result = new long[threads][];
            for (int t = 0; t < threads; t++) {
                result[t] = futures.get(t).get(60, TimeUnit.SECONDS);
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }
}
