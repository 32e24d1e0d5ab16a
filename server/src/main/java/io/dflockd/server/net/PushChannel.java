package io.dflockd.server.net;

import io.dflockd.server.signal.Subscriber;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection seen as a signal subscriber: pushes go out through the channel, which serialises them
 * with command replies on the event loop (lines never interleave). At most {@value #MAX_PENDING}
 * pushes may be unwritten at once (PROTOCOL.md §9.9); beyond that {@link #offer} refuses and the
 * router evicts the connection.
 */
final class PushChannel implements Subscriber {
    static final int MAX_PENDING = 64;
    private static final Logger LOG = System.getLogger(PushChannel.class.getName());

    private final Channel channel;
    private final long id;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean evicted = new AtomicBoolean();
    private final ChannelFutureListener written = f -> pending.decrementAndGet();

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
        channel.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(written);
        return true;
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
