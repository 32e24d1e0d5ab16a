package io.dflockd.bench.load;

import io.dflockd.bench.report.Latency;
import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.wire.ClientKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code fanout}: one publisher, N listeners on one channel. Each payload carries the publisher's
 * {@code System.nanoTime()} (same JVM as the listeners), so delivery latency is receive − send.
 * Deliveries/s = signals received by all listeners ÷ (last receipt − first publish). Signals the
 * listeners never got (a slow consumer dropped by the server, a full client queue) are errors.
 */
public final class FanoutWorkload {
    /** A listener that heard nothing this long after the publisher finished gives up. */
    private static final long QUIET_MILLIS = 3_000;

    /**
     * @param window signals the publisher keeps in flight (pipelined; raw client only); 1 = one at a time
     * @param warmup signals sent before the timed ones, which listeners receive but do not count
     */
    public record Params(int listeners, int signals, int window, int warmup, String channel) {
    }

    private FanoutWorkload() {
    }

    /** One thread per listener, each draining its {@link io.dflockd.client.SignalConn}, as an application would. */
    private static Worker libraryListener(RunContext ctx, Params p, FanoutPublisher publisher, ErrorTally errors,
            Latency delivery, AtomicLong received, AtomicLong lastReceipt) {
        return new Worker() {
            private FanoutListener listener;
            private final Latency local = new Latency();

            @Override
            public void prepare() throws Exception {
                listener = FanoutListener.open(ctx.endpoints().first());
                listener.listen(p.channel());
            }

            @Override
            public void measure() throws IOException {
                long count = 0;
                long last = 0;
                try {
                    while (count < p.signals()) {
                        String payload = listener.next(publisher.finished() ? QUIET_MILLIS : 60_000);
                        if (payload == null) {
                            if (publisher.finished()) {
                                break;
                            }
                            continue;
                        }
                        long now = System.nanoTime();
                        if (payload.startsWith(FanoutPublisher.WARMUP_PREFIX)) {
                            continue;
                        }
                        local.record(now - Long.parseLong(payload));
                        last = now;
                        count++;
                    }
                } finally {
                    if (count < p.signals()) {
                        errors.add("a listener missed " + (p.signals() - count) + " signals (dropped by the"
                                + " client: " + listener.droppedByClient() + ")");
                    }
                    received.addAndGet(count);
                    lastReceipt.accumulateAndGet(last, Math::max);
                    delivery.merge(local);
                }
            }

            @Override
            public void close() {
                if (listener != null) {
                    listener.close();
                }
            }
        };
    }

    /** All listeners on one selector thread (see {@link RawListenerGroup}). */
    private static Worker rawListeners(RunContext ctx, Params p, FanoutPublisher publisher, ErrorTally errors,
            Latency delivery, AtomicLong received, AtomicLong lastReceipt) {
        return new Worker() {
            private RawListenerGroup group;

            @Override
            public void prepare() throws IOException {
                group = new RawListenerGroup(ctx.endpoints().first(), p.listeners(), p.channel());
            }

            @Override
            public void measure() throws IOException {
                try {
                    group.receive(p.signals(), FanoutPublisher.WARMUP_PREFIX, QUIET_MILLIS, publisher::finished);
                } finally {
                    int missing = group.listenersShort(p.signals());
                    for (int i = 0; i < missing; i++) {
                        errors.add("a listener missed signals (closed by the server as a slow consumer?)");
                    }
                    received.addAndGet(group.total());
                    lastReceipt.accumulateAndGet(group.lastReceipt(), Math::max);
                    delivery.merge(group.latency());
                }
            }

            @Override
            public void close() {
                if (group != null) {
                    group.close();
                }
            }
        };
    }

    public static RunResult run(RunContext ctx, Params p) throws InterruptedException {
        RunResult result = ctx.client() == ClientKind.RAW
                ? new RunResult("fanout", "raw sockets (all listeners on one selector thread)", ctx.endpoints().toString())
                : ctx.result("fanout");
        if (p.window() > 1 && ctx.client() != ClientKind.RAW) {
            throw new IllegalArgumentException("--window > 1 pipelines signals and needs --raw");
        }
        result.parameter("listeners", p.listeners()).parameter("signals", p.signals())
                .parameter("window", p.window()).parameter("warmup", p.warmup());
        ErrorTally errors = new ErrorTally();
        Latency delivery = new Latency();
        AtomicLong firstPublish = new AtomicLong();
        AtomicLong lastReceipt = new AtomicLong();
        AtomicLong received = new AtomicLong();
        FanoutPublisher publisher = new FanoutPublisher(ctx, errors, p, firstPublish);
        List<Worker> workers = new ArrayList<>();
        if (ctx.client() == ClientKind.RAW) {
            workers.add(rawListeners(ctx, p, publisher, errors, delivery, received, lastReceipt));
        } else {
            for (int i = 0; i < p.listeners(); i++) {
                workers.add(libraryListener(ctx, p, publisher, errors, delivery, received, lastReceipt));
            }
        }
        workers.add(publisher);
        String before = RunContext.loadAverage();
        WorkerPool.Timing t = new WorkerPool(ctx).run(workers, errors);
        long elapsed = lastReceipt.get() > 0 ? lastReceipt.get() - firstPublish.get() : t.elapsedNanos();
        result.throughput("deliveries", received.get(), elapsed);
        result.latency("delivery", delivery);
        result.figure("signals_per_s", elapsed > 0 ? p.signals() * 1e9 / elapsed : 0.0);
        result.figure("server_reported_deliveries", publisher.reportedDeliveries());
        result.figure("expected_deliveries", (long) p.signals() * p.listeners());
        PingWorkload.finish(result, t, errors, before);
        return result;
    }
}
