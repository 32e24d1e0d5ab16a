package io.dflockd.bench.load;

import io.dflockd.bench.wire.LineSocket;
import io.dflockd.bench.wire.RequestTemplate;
import io.dflockd.bench.wire.Session;
import io.dflockd.protocol.Request;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fan-out publisher: sends the warm-up signals and then the timed ones, each payload being
 * its send time. With a window of 1 it waits for each {@code ok <n>}; with a larger window (raw
 * only) it writes {@code window} signals in one batch and then reads their replies, which the
 * protocol allows for non-blocking commands (PROTOCOL.md §2.5).
 */
final class FanoutPublisher implements Worker {
    static final String WARMUP_PREFIX = "w";

    private final RunContext ctx;
    private final ErrorTally errors;
    private final FanoutWorkload.Params p;
    private final AtomicLong firstPublish;
    private final AtomicLong reported = new AtomicLong();
    private volatile boolean finished;
    private Session session;
    private LineSocket pipe;
    /** The codec's {@code signal} request on the channel, the payload varying. */
    private RequestTemplate signal;

    FanoutPublisher(RunContext ctx, ErrorTally errors, FanoutWorkload.Params p, AtomicLong firstPublish) {
        this.ctx = ctx;
        this.errors = errors;
        this.p = p;
        this.firstPublish = firstPublish;
    }

    /** Whether all signals were sent (listeners then stop waiting after a quiet period). */
    boolean finished() {
        return finished;
    }

    /** Sum of the servers' {@code ok <n>} delivery counts over the timed signals. */
    long reportedDeliveries() {
        return reported.get();
    }

    @Override
    public void prepare() throws IOException {
        if (p.window() > 1) {
            pipe = LineSocket.connect(ctx.endpoints().first());
            signal = RequestTemplate.of(payload -> new Request.Publish(p.channel(), payload));
        } else {
            session = ctx.openFirst();
        }
    }

    @Override
    public void measure() {
        try {
            for (int i = 0; i < p.warmup(); i++) {
                publishOne(WARMUP_PREFIX + i, false);
            }
            firstPublish.set(System.nanoTime());
            if (pipe != null) {
                publishPipelined();
            } else {
                for (int i = 0; i < p.signals(); i++) {
                    publishOne(Long.toString(System.nanoTime()), true);
                }
            }
        } catch (IOException | RuntimeException e) {
            errors.add("publisher", e);
        } finally {
            finished = true;
        }
    }

    private void publishOne(String payload, boolean timed) throws IOException {
        long n;
        if (pipe != null) {
            pipe.send(signal, payload);
            n = pipe.readCount("signal " + p.channel());
        } else {
            n = session.signal(p.channel(), payload);
        }
        if (timed) {
            reported.addAndGet(n);
        }
    }

    private void publishPipelined() throws IOException {
        // A nanoTime stamp has at most 20 chars (19 digits and a sign).
        byte[] batch = new byte[p.window() * signal.length(20)];
        String what = "signal " + p.channel();
        int sent = 0;
        while (sent < p.signals()) {
            int n = Math.min(p.window(), p.signals() - sent);
            String stamp = Long.toString(System.nanoTime());
            int len = 0;
            for (int k = 0; k < n; k++) {
                len = signal.writeTo(batch, len, stamp);
            }
            pipe.write(batch, 0, len);
            for (int k = 0; k < n; k++) {
                reported.addAndGet(pipe.readCount(what));
            }
            sent += n;
        }
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
        if (pipe != null) {
            pipe.close();
        }
    }
}
