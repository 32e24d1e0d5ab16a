package io.dflockd.bench.jmh;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Status;
import io.dflockd.server.net.ReplyEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reply encoding with the server's {@link ReplyEncoder}: the typed reply is built here as the
 * session builds it, then encoded: a grant line, a renew/delivery count and a
 * bare status, each allocated from the pooled allocator and released, as the server does per reply.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResponseEncodingBenchmark {
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final String token = "18eb47438f41d3ff3c0aa14494ee092b";

    @Benchmark
    public int grant() {
        ByteBuf b = ReplyEncoder.encode(alloc, new Reply.Granted(Status.OK, token, 33));
        int n = b.readableBytes();
        b.release();
        return n;
    }

    @Benchmark
    public int okNumber() {
        ByteBuf b = ReplyEncoder.encode(alloc, new Reply.Numeric(100));
        int n = b.readableBytes();
        b.release();
        return n;
    }

    @Benchmark
    public int bare() {
        ByteBuf b = ReplyEncoder.encode(alloc, Reply.Bare.of(Status.OK));
        int n = b.readableBytes();
        b.release();
        return n;
    }
}
