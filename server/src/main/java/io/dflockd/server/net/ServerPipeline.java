package io.dflockd.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The handlers of one client connection, in order, installed in one place for the server, the
 * tests and the benchmarks (TLS, when configured, goes first and is the caller's).
 */
public final class ServerPipeline {
    private ServerPipeline() {
    }

    /** Installs the per-connection handlers after whatever {@code p} already holds. */
    public static void install(ChannelPipeline p, ServerContext context, long readTimeoutNanos) {
        // Replies to requests that arrived in one read (pipelined signals, say) go out with one
        // flush at the end of the read instead of one syscall each; flushes outside a read
        // (grants, pushes) pass straight through.
        p.addLast("flush", new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, false));
        StalledReaderHandler stalled = StalledReaderHandler.forTimeout(context.writeTimeoutNanos());
        if (stalled != null) {
            p.addLast("write-timeout", stalled);
        }
        FrameDecoder decoder = new FrameDecoder(readTimeoutNanos);
        p.addLast("framing", decoder);
        p.addLast("parser", new RequestParser());
        p.addLast("replies", ReplyEncoder.INSTANCE);
        p.addLast("session", new SessionHandler(context, decoder));
    }

    /** Starts the drain of one connection (see {@link SessionHandler#beginDrain()}); call on its loop. */
    public static void beginDrain(Channel ch) {
        SessionHandler h = ch.pipeline().get(SessionHandler.class);
        if (h != null) {
            h.beginDrain();
        }
    }
}
