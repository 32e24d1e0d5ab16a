package io.dflockd.bench.jmh;

import io.dflockd.protocol.Request;
import io.dflockd.server.net.Frame;
import io.dflockd.server.net.FrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frame decoding: bytes of one three-line request in, one {@link Frame} out, through the real
 * {@link FrameDecoder} in an {@link EmbeddedChannel} (no sockets, no read deadline).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestDecodingBenchmark {
    @Param({"lock", "release", "signal"})
    public String request;

    private EmbeddedChannel channel;
    private ByteBuf bytes;

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel(new FrameDecoder(0));
        // The bytes a client sends, from the protocol codec.
        Request r = switch (request) {
            case "lock" -> Request.Acquire.lock("orders/eu-west/42", 10, 33);
            case "release" -> new Request.Release(
                    "orders/eu-west/42", "18eb47438f41d3ff3c0aa14494ee092b", false);
            default -> new Request.Publish(
                    "events.user.login", "{\"user\":42,\"ip\":\"10.0.0.1\"}");
        };
        bytes = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(r.encode(StandardCharsets.UTF_8)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public Object decode() {
        channel.writeInbound(bytes.duplicate());
        return channel.readInbound();
    }
}
