package io.dflockd.server.fence;

import io.dflockd.server.time.SystemClocks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/** Factory and clock helpers for {@link FenceAllocator}s. */
public final class FenceAllocators {
    private FenceAllocators() {
    }

    /**
     * The wall-clock time as Unix nanoseconds, the seed PROTOCOL.md §8.4 prescribes
     * ({@link SystemClocks#wallNanos()}).
     *
     * @throws ArithmeticException after the year 2262, when the value no longer fits a long
     */
    public static long wallClockNanos() {
        return SystemClocks.wallNanos();
    }

    /**
     * The allocator for the server configuration: a {@link FenceStateFile} at {@code stateFile}, or
     * a {@link ClockSeededFenceAllocator} when {@code stateFile} is {@code null}.
     *
     * @param wallClockNanos production code passes {@code FenceAllocators::wallClockNanos}
     * @throws IOException if the state file cannot be opened, locked or recovered; the server must
     *     refuse to start
     */
    public static FenceAllocator open(Path stateFile, LongSupplier wallClockNanos) throws IOException {
        if (stateFile == null) {
            return new ClockSeededFenceAllocator(wallClockNanos);
        }
        return FenceStateFile.open(stateFile, wallClockNanos);
    }
}
