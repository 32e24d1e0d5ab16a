package io.dflockd.bench.jmh;

import io.dflockd.server.fence.ClockSeededFenceAllocator;
import io.dflockd.server.fence.FenceException;
import io.dflockd.server.lock.TokenMinter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Token generation: fence allocation plus {@link TokenMinter} (buffered SecureRandom salt and hex
 * encoding), through the server's public API.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenMintingBenchmark {
    private final ClockSeededFenceAllocator fences = new ClockSeededFenceAllocator(System::currentTimeMillis);

    @Benchmark
    public String mint() throws FenceException {
        return TokenMinter.mint(fences.next());
    }

    /** Two threads minting at once: the fence counter is the only shared state. */
    @Benchmark
    @Threads(2)
    public String mintTwoThreads() throws FenceException {
        return TokenMinter.mint(fences.next());
    }
}
