package io.dflockd.server.fence;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The default allocator without {@code --fence-state-file} (PROTOCOL.md §8.4): the counter starts
 * at the wall-clock time in Unix nanoseconds and the first fence is that value + 1. Fences are
 * monotonic across restarts only while the clock does not move backwards and the previous run
 * issued fewer than about 10⁹ fences per second of uptime.
 */
public final class ClockSeededFenceAllocator implements FenceAllocator {
    private final AtomicLong counter;

    /**
     * Seeds the counter from {@code wallClockNanos} (see {@link FenceAllocators#wallClockNanos()}).
     * A clock before 1970 is clamped to 0 so that fences stay positive.
     */
    public ClockSeededFenceAllocator(LongSupplier wallClockNanos) {
        this.counter = new AtomicLong(Math.max(0L, wallClockNanos.getAsLong()));
    }

    @Override
    public long next() throws FenceException {
        long n = counter.incrementAndGet();
        // Past Long.MAX_VALUE the increment wraps negative and stays negative for another 2^63
        // calls, so a sign check is enough to never hand out a non-positive or repeated fence.
        if (n <= 0) {
            throw new FenceException("fence counter exhausted");
        }
        return n;
    }

    /** Nothing to release. */
    @Override
    public void close() {
    }
}
