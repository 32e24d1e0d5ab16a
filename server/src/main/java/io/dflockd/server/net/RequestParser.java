package io.dflockd.server.net;

import io.dflockd.protocol.ProtocolException;
import io.dflockd.protocol.RequestGrammar;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Second stage of the inbound pipeline: each complete {@link Frame} becomes a typed
 * {@link io.dflockd.protocol.Request} or an {@link InvalidRequest}; framing events (line too long,
 * read timeout, pipelining abuse) pass through for the session to end the connection.
 */
final class RequestParser extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame f && f.event() == Frame.Event.REQUEST) {
            Object parsed;
            try {
                parsed = RequestGrammar.parse(f.command(), f.key(), f.arg());
            } catch (ProtocolException e) {
                parsed = new InvalidRequest(f.command(), f.key(), f.arg(), e);
            }
            ctx.fireChannelRead(parsed);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
