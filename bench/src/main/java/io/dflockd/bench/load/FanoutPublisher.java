package io.dflockd.bench.load;

import io.dflockd.bench.wire.LineSocket;
import io.dflockd.bench.wire.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    private final Errors errors;
    private final FanoutWorkload.Params p;
    private final AtomicLong firstPublish;
    private final AtomicLong reported = new AtomicLong();
    private volatile boolean finished;
    private Session session;
    private LineSocket pipe;

    FanoutPublisher(RunContext ctx, Errors errors, FanoutWorkload.Params p, AtomicLong firstPublish) {
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
            pipe.begin().text("signal\n").text(p.channel()).ch('\n').text(payload).ch('\n').send();
            n = readDelivered();
        } else {
            n = session.signal(p.channel(), payload);
        }
        if (timed) {
            reported.addAndGet(n);
        }
    }

    private void publishPipelined() throws IOException {
        byte[] head = ("signal\n" + p.channel() + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] batch = new byte[p.window() * (head.length + 21)];
        int sent = 0;
        while (sent < p.signals()) {
            int n = Math.min(p.window(), p.signals() - sent);
            byte[] stamp = Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
            int len = 0;
            for (int k = 0; k < n; k++) {
                System.arraycopy(head, 0, batch, len, head.length);
                len += head.length;
                System.arraycopy(stamp, 0, batch, len, stamp.length);
                len += stamp.length;
                batch[len++] = '\n';
            }
            pipe.write(batch, 0, len);
            for (int k = 0; k < n; k++) {
                reported.addAndGet(readDelivered());
            }
            sent += n;
        }
    }

    private long readDelivered() throws IOException {
        pipe.readLine();
        if (!pipe.lineStartsWith("ok ")) {
            throw new IOException("signal: unexpected reply " + pipe.lineText(0));
        }
        return pipe.lineNumber(3);
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
