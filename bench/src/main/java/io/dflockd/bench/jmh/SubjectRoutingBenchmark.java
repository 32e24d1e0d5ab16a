package io.dflockd.bench.jmh;

import io.dflockd.server.signal.SignalRouter;
import io.dflockd.server.signal.Subscriber;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Subject routing with many subscriptions: {@code subscriptions} connections each subscribed to
 * one pattern — a mix of exact channels, {@code *} and {@code >} wildcards and queue groups over
 * 1000 tenants — then publishing on a channel that a handful of them match. With a subject trie the
 * cost follows the channel's depth and the matches, not the subscription count; compare
 * {@code subscriptions=100} with {@code 10000}. Subscribers accept every frame and do nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubjectRoutingBenchmark {
    @Param({"100", "10000"})
    public int subscriptions;

    private SignalRouter router;

    /** A subscriber that takes every frame. */
    private static final class Sink implements Subscriber {
        private final long id;
        long frames;

        Sink(long id) {
            this.id = id;
        }

        @Override
        public long connectionId() {
            return id;
        }

        @Override
        public boolean offer(byte[] frame) {
            frames++;
            return true;
        }

        @Override
        public void evict(String reason) {
            throw new IllegalStateException("never full");
        }
    }

    @Setup
    public void setUp() {
        router = new SignalRouter(0);
        for (int i = 0; i < subscriptions; i++) {
            int tenant = i % 1000;
            String pattern;
            String group = "";
            switch (i % 4) {
                case 0:
                    pattern = "tenant" + tenant + ".orders.created";
                    break;
                case 1:
                    pattern = "tenant" + tenant + ".orders.*";
                    break;
                case 2:
                    pattern = "tenant" + tenant + ".>";
                    break;
                default:
                    pattern = "tenant" + tenant + ".orders.created";
                    group = "workers";
            }
            router.listen(new Sink(i), pattern, group);
        }
    }

    @Benchmark
    public int publishMatching() {
        return router.publish("tenant7.orders.created", "{\"id\":42}");
    }

    @Benchmark
    public int publishNoMatch() {
        return router.publish("unknown.orders.created", "{\"id\":42}");
    }
}
