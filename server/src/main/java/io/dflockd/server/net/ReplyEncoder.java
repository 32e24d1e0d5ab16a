package io.dflockd.server.net;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.nio.charset.StandardCharsets;

/**
 * Last outbound stage before the socket: {@link Reply} messages become their line (PROTOCOL.md §2.4,
 * §11.1). Bare statuses are copied from shared bytes and grants are written field by field, so the
 * hot path builds no strings; anything else (signal pushes) passes through untouched.
 */
@Sharable
public final class ReplyEncoder extends ChannelOutboundHandlerAdapter {
    static final ReplyEncoder INSTANCE = new ReplyEncoder();

    /** Each status word with its LF, by {@link Status#ordinal()}. */
    private static final byte[][] BARE = new byte[Status.values().length][];

    static {
        for (Status s : Status.values()) {
            BARE[s.ordinal()] = (s.wire() + "\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private ReplyEncoder() {
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof Reply r ? encode(ctx.alloc(), r) : msg, promise);
    }

    /** The reply line, LF included (public for the encoding benchmark). */
    public static ByteBuf encode(ByteBufAllocator alloc, Reply r) {
        if (r instanceof Reply.Bare b) {
            // Copied into a buffer of the channel's (pooled, direct) allocator rather than sending a
            // duplicate of a shared heap buffer: the duplicate was a new object per reply, and the
            // epoll transport copies any heap buffer into a direct one before write(2) anyway.
            byte[] line = BARE[b.status().ordinal()];
            return alloc.buffer(line.length).writeBytes(line);
        }
        if (r instanceof Reply.Granted g) {
            String status = g.status().wire();
            ByteBuf buf = alloc.buffer(status.length() + g.token().length() + 24);
            buf.writeCharSequence(status, StandardCharsets.US_ASCII);
            buf.writeByte(' ');
            buf.writeCharSequence(g.token(), StandardCharsets.ISO_8859_1);
            buf.writeByte(' ');
            return writeDecimal(buf, g.leaseSeconds()).writeByte('\n');
        }
        if (r instanceof Reply.Numeric n) {
            return writeDecimal(alloc.buffer(24).writeByte('o').writeByte('k').writeByte(' '), n.value())
                    .writeByte('\n');
        }
        if (r instanceof Reply.Payload p) {
            // one char per byte, as the server reads values: a stored item comes back byte for byte
            byte[] text = p.text().getBytes(StandardCharsets.ISO_8859_1);
            return alloc.buffer(text.length + 4).writeByte('o').writeByte('k').writeByte(' ').writeBytes(text)
                    .writeByte('\n');
        }
        byte[] line = (r.encode() + "\n").getBytes(StandardCharsets.ISO_8859_1);
        return alloc.buffer(line.length).writeBytes(line);
    }

    /** Writes {@code v} in decimal without building a string (leases and counts, on every grant). */
    static ByteBuf writeDecimal(ByteBuf b, long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return b.writeBytes(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
            }
            b.writeByte('-');
            v = -v;
        }
        long scale = 1;
        while (scale <= v / 10) {
            scale *= 10;
        }
        for (; scale > 0; scale /= 10) {
            b.writeByte('0' + (int) (v / scale % 10));
        }
        return b;
    }
}
