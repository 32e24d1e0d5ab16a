package io.dflockd.server.net;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;

/**
 * Last outbound stage before the socket: {@link Reply} messages become their line (PROTOCOL.md §2.4,
 * §11.1). Bare statuses are shared read-only buffers and grants are written field by field, so the
 * hot path builds no strings; anything else (signal pushes) passes through untouched.
 */
@Sharable
public final class ReplyEncoder extends ChannelOutboundHandlerAdapter {
    static final ReplyEncoder INSTANCE = new ReplyEncoder();

    private static final EnumMap<Status, ByteBuf> BARE = new EnumMap<>(Status.class);

    static {
        for (Status s : Status.values()) {
            byte[] line = (s.wire() + "\n").getBytes(StandardCharsets.US_ASCII);
            BARE.put(s, Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(line).asReadOnly()));
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
            return BARE.get(b.status()).duplicate();
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
            byte[] text = p.text().getBytes(StandardCharsets.UTF_8);
            return alloc.buffer(text.length + 4).writeByte('o').writeByte('k').writeByte(' ').writeBytes(text)
                    .writeByte('\n');
        }
        byte[] line = (r.encode() + "\n").getBytes(StandardCharsets.ISO_8859_1);
        return alloc.buffer(line.length).writeBytes(line);
    }

    private static ByteBuf writeDecimal(ByteBuf b, long v) {
        if (v >= 0 && v < 10) {
            return b.writeByte('0' + (int) v);
        }
        b.writeCharSequence(Long.toString(v), StandardCharsets.US_ASCII);
        return b;
    }
}
