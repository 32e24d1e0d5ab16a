package io.dflockd.server.net;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.ProtocolException;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.RequestGrammar;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Second stage of the inbound pipeline: each complete {@link Frame} becomes a typed
 * {@link io.dflockd.protocol.Request} or an {@link InvalidRequest}; framing events (line too long,
 * read timeout, pipelining abuse) pass through for the session to end the connection.
 *
 * <p>Requests are immutable, so when a frame repeats the previous well-formed request of its command
 * line for line (the same key and argument strings: {@link RepeatedLines} hands out the same
 * instances for repeated bytes) that request is used again instead of being parsed anew. A client
 * that locks one key in a loop thus costs no argument splitting, number parsing or record per lock.
 * One instance per connection.
 */
final class RequestParser extends ChannelInboundHandlerAdapter {
    /** The last well-formed request of each command, by {@link Command#ordinal()}, and its line 3. */
    private final Request[] last = new Request[Command.values().length];
    private final String[] lastArg = new String[Command.values().length];

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame f && f.event() == Frame.Event.REQUEST) {
            ctx.fireChannelRead(parse(f));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private Object parse(Frame f) {
        Command cmd = f.command();
        boolean reusable = RepeatedLines.keepsArg(cmd) && cmd.keyed();
        if (reusable) {
            Request previous = last[cmd.ordinal()];
            // Identity, not equals: a repeated line is the very same string (see RepeatedLines).
            if (previous != null && previous.key() == f.key() && lastArg[cmd.ordinal()] == f.arg()) {
                return previous;
            }
        }
        try {
            Request r = RequestGrammar.parse(cmd, f.key(), f.arg());
            if (reusable) {
                last[cmd.ordinal()] = r;
                lastArg[cmd.ordinal()] = f.arg();
            }
            return r;
        } catch (ProtocolException e) {
            return new InvalidRequest(cmd, f.key(), f.arg(), e);
        }
    }
}
