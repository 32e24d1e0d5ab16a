package io.dflockd.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP request and its one response. {@link #respond} may be called from any thread; the first
 * call wins. Every response carries a Content-Length; a HEAD request gets the headers only.
 */
public final class HttpExchange {
    static final String JSON = "application/json";

    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final String path;
    private final boolean keepAlive;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean answered = new AtomicBoolean();
    private final Recorder recorder;
    /** The matched route's path for the metrics, {@code "unmatched"} until the router finds one. */
    String route = "unmatched";

    /** Told of every response (the metrics). */
    interface Recorder {
        void answered(HttpMethod method, String route, int status, long nanos);
    }

    HttpExchange(ChannelHandlerContext ctx, FullHttpRequest request, Recorder recorder) {
        this.ctx = ctx;
        this.request = request;
        this.recorder = recorder;
        this.path = new QueryStringDecoder(request.uri()).path();
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    public FullHttpRequest request() {
        return request;
    }

    public HttpMethod method() {
        return request.method();
    }

    /** The decoded path, without the query string. */
    public String path() {
        return path;
    }

    /** Responds {@code status} with a JSON body (a trailing newline is added, as upstream does). */
    public void json(HttpResponseStatus status, String json) {
        respond(status, JSON, (json + "\n").getBytes(StandardCharsets.UTF_8), null);
    }

    /** Responds with upstream's error body: {@code {"error":code,"detail":detail}}. */
    public void error(HttpResponseStatus status, String code, String detail) {
        json(status, Json.error(code, detail));
    }

    /**
     * Sends the response (once; later calls are ignored).
     *
     * @param headers extra header name/value pairs, or {@code null}
     */
    public void respond(HttpResponseStatus status, String contentType, byte[] body, String[] headers) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        boolean head = HttpMethod.HEAD.equals(request.method());
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (headers != null) {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                r.headers().set(headers[i], headers[i + 1]);
            }
        }
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        recorder.answered(request.method(), route, status.code(), System.nanoTime() - startNanos);
        if (ctx.executor().inEventLoop()) {
            write(r);
        } else {
            ctx.executor().execute(() -> write(r));
        }
    }

    private void write(FullHttpResponse r) {
        if (keepAlive) {
            ctx.writeAndFlush(r, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
