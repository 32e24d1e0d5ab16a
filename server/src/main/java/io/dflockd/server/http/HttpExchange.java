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
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP request and its one response. {@link #respond} may be called from any thread; the first
 * call wins. Every response but a 204 carries a Content-Length; a HEAD request gets the headers only.
 * A long-poll learns of its client going away through {@link #onClientGone}.
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
    /** The matched template's decoded parameters. */
    Map<String, String> params = Map.of();
    /** Headers every response to this request carries (CORS), name/value pairs. */
    private final List<String> commonHeaders = new ArrayList<>(0);
    private final List<Runnable> whenAnswered = new ArrayList<>(1);
    private Runnable writeFailed;

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

    /** The raw path as sent, still percent-encoded, without the query string. */
    String rawPath() {
        String uri = request.uri();
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** A path parameter of the matched template ({@code key}, {@code id}), decoded. */
    public String param(String name) {
        return params.get(name);
    }

    /** A request header, or {@code null}. */
    public String header(CharSequence name) {
        return request.headers().get(name);
    }

    /** The request body as UTF-8 text (empty when there is none). */
    public String body() {
        return request.content().toString(StandardCharsets.UTF_8);
    }

    /** The client's IP address, or {@code null} when unknown. */
    public InetAddress remoteIp() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /** The event loop of this request's connection. */
    public EventExecutor executor() {
        return ctx.executor();
    }

    /** Whether the client's connection is still open. */
    public boolean clientConnected() {
        return ctx.channel().isActive();
    }

    /** Runs {@code r} on this connection's event loop when the connection closes (at once if it has). */
    public void onClientGone(Runnable r) {
        ctx.channel().closeFuture().addListener(f -> r.run());
    }

    /** Adds a header to whichever response this request gets. Call before responding. */
    void commonHeader(String name, String value) {
        commonHeaders.add(name);
        commonHeaders.add(value);
    }

    /** Runs {@code r} once the response is decided (before it is written). Call before responding. */
    public void whenAnswered(Runnable r) {
        whenAnswered.add(r);
    }

    /** Runs {@code r} on the event loop if the response could not be written. Call before responding. */
    public void onWriteFailure(Runnable r) {
        writeFailed = r;
    }

    /** Whether a response has been decided. */
    public boolean answered() {
        return answered.get();
    }

    /** {@code 204 No Content}. */
    public void noContent() {
        respond(HttpResponseStatus.NO_CONTENT, null, new byte[0], null);
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
        if (contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        r.headers().set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        for (int i = 0; i + 1 < commonHeaders.size(); i += 2) {
            r.headers().set(commonHeaders.get(i), commonHeaders.get(i + 1));
        }
        if (headers != null) {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                r.headers().set(headers[i], headers[i + 1]);
            }
        }
        for (Runnable done : whenAnswered) {
            done.run();
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
        Runnable failed = writeFailed;
        if (keepAlive && failed == null) {
            ctx.writeAndFlush(r, ctx.voidPromise());
            return;
        }
        io.netty.channel.ChannelFuture f = ctx.writeAndFlush(r);
        if (failed != null) {
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    failed.run();
                }
            });
        }
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
