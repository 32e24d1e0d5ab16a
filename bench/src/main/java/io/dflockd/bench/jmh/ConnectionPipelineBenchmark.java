package io.dflockd.bench.jmh;

import io.dflockd.bench.wire.RequestTemplate;
import io.dflockd.protocol.Request;
import io.dflockd.server.fence.ClockSeededFenceAllocator;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.metrics.ServerMetrics;
import io.dflockd.server.net.ServerContext;
import io.dflockd.server.net.ServerPipeline;
import io.dflockd.server.signal.SignalRouter;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.CharBuffer;
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
 * One server connection without sockets: request bytes in, reply bytes out, through the whole
 * per-connection pipeline the server installs (framing, parsing, session, commands, encoding) and
 * the real lock manager. One operation is an uncontended {@code l} + {@code r} pair, the unit the
 * load benchmarks count, so this is the server's CPU cost of a pair minus the kernel's.
 * {@code metrics=on} wires the lock manager to the Prometheus metrics, as {@code --http-port} does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConnectionPipelineBenchmark {
    private static final Scheduler NO_TIMERS = (task, delay) -> Scheduler.Cancellable.NONE;
    private static final String KEY = "orders/eu-west/42";
    private static final RequestTemplate RELEASE = RequestTemplate.of(token -> new Request.Release(KEY, token, false));

    /** "off": the no-op observer (no {@code --http-port}); "on": the server's Prometheus metrics. */
    @Param({"off", "on"})
    public String metrics;

    private EmbeddedChannel channel;
    private ByteBuf lock;
    private final byte[] release = new byte[RELEASE.length(32)];
    private final char[] token = new char[32];
    private final CharBuffer tokenView = CharBuffer.wrap(token);

    @Setup(Level.Trial)
    public void setUp() {
        LockEvents events = metrics.equals("on")
                ? new ServerMetrics(ServerMetrics.state(() -> 0, () -> false, java.util.List::of, java.util.List::of))
                : LockEvents.NONE;
        LockManager locks = new LockManager(new LockSettings(1 << 20, 0, 33, 60, true), Clock.SYSTEM, NO_TIMERS,
                new ClockSeededFenceAllocator(System::currentTimeMillis), events);
        ServerContext context = new ServerContext(locks, new SignalRouter(0), null, 0,
                () -> "{}".getBytes(StandardCharsets.UTF_8));
        channel = new EmbeddedChannel();
        ServerPipeline.install(channel.pipeline(), context, 0);
        lock = Unpooled.unreleasableBuffer(Unpooled.directBuffer()
                .writeBytes(Request.Acquire.lock(KEY, 0, 0).encode(StandardCharsets.UTF_8)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** {@code l} → {@code ok <token> <lease>}, then {@code r <token>} → {@code ok}. */
    @Benchmark
    public int lockRelease() {
        channel.writeInbound(lock.duplicate());
        ByteBuf grant = channel.readOutbound();
        for (int i = 0; i < 32; i++) {
            token[i] = (char) grant.getByte(3 + i); // "ok " + the 32-character token
        }
        grant.release();
        RELEASE.writeTo(release, 0, tokenView);
        channel.writeInbound(Unpooled.wrappedBuffer(release));
        ByteBuf ok = channel.readOutbound();
        int n = ok.readableBytes();
        ok.release();
        return n;
    }
}
