package io.dflockd.server.http;

import io.dflockd.server.metrics.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one connection to the HTTP port: TLS when configured, Netty's HTTP/1.1 codec,
 * keep-alive, bodies up to {@link #MAX_BODY_BYTES}, an idle timeout, and the {@link HttpRouter}.
 * Runs on the server's own event loops. A connection is idle when it has sent nothing for the
 * timeout and no request of it is waiting for its answer, so a long-poll is not cut short.
 */
public final class HttpPort extends ChannelInitializer<SocketChannel> {
    private static final Logger LOG = System.getLogger(HttpPort.class.getName());
    /** Bodies are small JSON documents; anything larger is answered 413 by the aggregator. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** An idle keep-alive connection is closed after this long (upstream: 120 s). */
    static final long IDLE_TIMEOUT_SECONDS = 120;
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private final HttpRouter router;
    private final SslContext ssl;
    private final ChannelGroup channels;
    private final HttpExchange.Recorder recorder;

    /**
     * @param ssl      the server's TLS context, or {@code null}
     * @param channels where open HTTP connections are tracked (so that closing the server closes them)
     */
    public HttpPort(HttpRouter router, SslContext ssl, ChannelGroup channels, ServerMetrics metrics) {
        this.router = router;
        this.ssl = ssl;
        this.channels = channels;
        this.recorder = (method, route, status, nanos) -> metrics.httpRequest(
                METHODS.contains(method.name()) ? method.name() : "other", route, status, nanos);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        p.addLast("idle", new IdleStateHandler(IDLE_TIMEOUT_SECONDS, 0, 0, TimeUnit.SECONDS));
        p.addLast("http", new HttpServerCodec());
        p.addLast("keep-alive", new HttpServerKeepAliveHandler());
        p.addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES));
        p.addLast("route", new Dispatcher());
    }

    private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        /** Whether a request of this connection waits for its answer (a long-poll). */
        private volatile boolean busy;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            HttpExchange ex = new HttpExchange(ctx, request, recorder);
            busy = true;
            ex.whenAnswered(() -> busy = false);
            if (request.decoderResult().isFailure()) {
                ex.error(HttpResponseStatus.BAD_REQUEST, "bad_request",
                        "malformed HTTP request: " + request.decoderResult().cause().getMessage());
                ctx.close();
                return;
            }
            try {
                router.dispatch(ex);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "HTTP " + request.method() + " " + ex.path() + " failed", e);
                ex.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", String.valueOf(e.getMessage()));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                if (!busy) {
                    ctx.close();
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.DEBUG, () -> "HTTP " + ctx.channel().remoteAddress() + ": closing after " + cause);
            ctx.close();
        }
    }
}
