package io.dflockd.server.net;

import io.dflockd.server.signal.Subscriber;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection seen as a signal subscriber. Pushes are queued here and written by one drain task on
 * the connection's event loop, which serialises them with command replies (lines never interleave)
 * and writes everything queued since the last drain with a single flush, i.e. one syscall: a
 * publisher that sends many signals in a row costs each listener one write per batch, not one per
 * signal. At most {@value #MAX_PENDING} pushes may be unwritten at once (PROTOCOL.md §9.9): queued
 * here or still in the channel's outbound buffer; beyond that {@link #offer} refuses and the router
 * evicts the connection.
 */
final class PushChannel implements Subscriber {
    static final int MAX_PENDING = 64;
    private static final Logger LOG = System.getLogger(PushChannel.class.getName());
    /** Per publishing event-loop thread; absent on other threads, which then hand over at once. */
    private static final FastThreadLocal<DeferredDrains> DEFERRED = new FastThreadLocal<>();

    private final Channel channel;
    private final long id;
    /** Frames not yet handed to the socket (queued here or in Netty's outbound buffer). */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean evicted = new AtomicBoolean();
    /** Many publishers (any event loop) offer, the channel's event loop drains. */
    private final Queue<byte[]> queue = PlatformDependent.newMpscQueue();
    /** Whether a drain task is queued and has not started yet. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    /** Scratch space for one drain; touched only on the event loop. */
    private final byte[][] batch = new byte[MAX_PENDING][];

    PushChannel(Channel channel, long id) {
        this.channel = channel;
        this.id = id;
    }

    @Override
    public long connectionId() {
        return id;
    }

    @Override
    public boolean offer(byte[] frame) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            return false;
        }
        queue.offer(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            DeferredDrains deferred = DEFERRED.getIfExists();
            if (deferred != null) {
                deferred.add(this);
            } else {
                channel.eventLoop().execute(drain);
            }
        }
        return true;
    }

    /**
     * Makes pushes published from this event loop wait for the end of the current read (see
     * {@link DeferredDrains}). Call on the event loop; calling it again is harmless.
     */
    static void bindPublisherLoop(EventExecutor loop) {
        if (!DEFERRED.isSet()) {
            DEFERRED.set(new DeferredDrains(loop));
        }
    }

    /**
     * Writes the pushes published during the read that just finished on this event loop (call from
     * {@code channelReadComplete}, before the publisher's own replies are flushed) and hands those
     * for connections on other loops over to them.
     *
     * @param onHandedOver run on this loop once every other loop has written its share; not run
     *     when the result is 0
     * @return how many other loops were handed pushes
     */
    static int flushPublished(Runnable onHandedOver) {
        DeferredDrains d = DEFERRED.getIfExists();
        return d == null ? 0 : d.flush(onHandedOver);
    }

    /**
     * The drains requested by one publishing event loop, run once its current read is done. Two
     * reasons. Batching: a pipelined batch of signals then costs each listener one write, not one
     * per signal (waking another loop on the first push would make it write frame by frame).
     * Pacing: listeners on the publisher's own loop are written before the publisher's replies go
     * out, so a publisher cannot outrun them. (As ordinary tasks, their drains would yield to new
     * reads under Netty's I/O ratio and fall behind until the listeners looked like slow
     * consumers.) Listeners on other loops get one task per loop; the caller may stop reading
     * from the publisher until those tasks ran, which paces a publisher by the server's own
     * progress, never by its consumers (a consumer that stops reading only fills its own outbound
     * buffer). A task queued on the first request is the safety net for publishes that happen
     * outside a read, e.g. a request decoded when a paused connection resumes.
     */
    private static final class DeferredDrains implements Runnable {
        private final EventExecutor home;
        private ArrayList<PushChannel> channels = new ArrayList<>();
        private ArrayList<PushChannel> spare = new ArrayList<>();
        private boolean taskQueued;

        DeferredDrains(EventExecutor home) {
            this.home = home;
        }

        void add(PushChannel c) {
            channels.add(c);
            if (!taskQueued) {
                taskQueued = true;
                home.execute(this);
            }
        }

        @Override
        public void run() {
            taskQueued = false;
            flush(null);
        }

        int flush(Runnable onHandedOver) {
            if (channels.isEmpty()) {
                return 0;
            }
            ArrayList<PushChannel> batch = channels;
            channels = spare;
            spare = batch;
            IdentityHashMap<EventLoop, ArrayList<PushChannel>> elsewhere = null;
            for (int i = 0; i < batch.size(); i++) {
                PushChannel c = batch.get(i);
                EventLoop loop = c.channel.eventLoop();
                if (loop.inEventLoop()) {
                    c.drain();
                } else {
                    if (elsewhere == null) {
                        elsewhere = new IdentityHashMap<>(4);
                    }
                    elsewhere.computeIfAbsent(loop, l -> new ArrayList<>()).add(c);
                }
            }
            batch.clear();
            if (elsewhere == null) {
                return 0;
            }
            AtomicInteger remaining = new AtomicInteger(elsewhere.size());
            elsewhere.forEach((loop, list) -> loop.execute(() -> {
                for (int i = 0; i < list.size(); i++) {
                    list.get(i).drain();
                }
                if (remaining.decrementAndGet() == 0 && onHandedOver != null) {
                    home.execute(onHandedOver);
                }
            }));
            return elsewhere.size();
        }
    }

    /**
     * Writes every queued frame as one buffer and flushes once. The flag is cleared before polling,
     * so a frame offered after the last poll always finds the flag clear and schedules another
     * drain. Runs on the channel's event loop only.
     */
    private void drain() {
        drainScheduled.set(false);
        if (!channel.isActive()) {
            queue.clear();
            return;
        }
        // pending <= MAX_PENDING bounds the queue, so the batch array can never overflow.
        int n = 0;
        int bytes = 0;
        byte[] frame;
        while (n < batch.length && (frame = queue.poll()) != null) {
            batch[n++] = frame;
            bytes += frame.length;
        }
        if (n == 0) {
            return;
        }
        ByteBuf out;
        if (n == 1) {
            out = Unpooled.wrappedBuffer(batch[0]);
        } else {
            // One buffer for the batch: one outbound entry and one iovec instead of n.
            out = channel.alloc().ioBuffer(bytes);
            for (int i = 0; i < n; i++) {
                out.writeBytes(batch[i]);
            }
        }
        java.util.Arrays.fill(batch, 0, n, null);
        int written = n;
        channel.writeAndFlush(out).addListener((ChannelFutureListener) f -> pending.addAndGet(-written));
        if (!queue.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    @Override
    public void evict(String reason) {
        if (evicted.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, () -> "conn#" + id + " " + channel.remoteAddress()
                    + ": slow signal consumer (" + reason + "); closing");
            channel.close();
        }
    }
}
