package io.dflockd.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The write deadline (PROTOCOL.md §2.3): when the outbound buffer stays above its high-water mark for
 * {@code --write-timeout}, the peer has stopped reading and is closed, which releases what it holds.
 * One timer per stall, armed when the channel turns unwritable and cancelled when it drains.
 */
public final class StalledReaderHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = System.getLogger(StalledReaderHandler.class.getName());

    private final long timeoutNanos;
    private ScheduledFuture<?> deadline;

    /** @param timeoutNanos must be positive; with no write timeout, leave the handler out */
    StalledReaderHandler(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** The handler for the server's write timeout, or {@code null} when it is off. */
    public static StalledReaderHandler forTimeout(long timeoutNanos) {
        return timeoutNanos > 0 ? new StalledReaderHandler(timeoutNanos) : null;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        boolean writable = ctx.channel().isWritable();
        if (!writable && deadline == null) {
            deadline = ctx.executor().schedule(() -> {
                deadline = null;
                if (!ctx.channel().isWritable()) {
                    LOG.log(Level.INFO, () -> ctx.channel().remoteAddress()
                            + ": write timeout, peer is not reading; closing");
                    ctx.close();
                }
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        } else if (writable && deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        super.channelInactive(ctx);
    }
}
