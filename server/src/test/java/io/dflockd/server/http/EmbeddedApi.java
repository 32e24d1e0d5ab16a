package io.dflockd.server.http;

import io.dflockd.server.fence.FenceAllocator;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.time.ManualTime;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The session API without sockets: the router, sessions and a lock manager on a {@link ManualTime},
 * each request on its own {@link EmbeddedChannel}, whose event loop runs queued tasks only when
 * told ({@link Call#runTasks}). So every interleaving of grant, hand-over and client going away can
 * be set up exactly.
 */
final class EmbeddedApi {
    final ManualTime time = new ManualTime();
    final LockManager locks;
    final HttpSessions sessions;
    final HttpRouter router;
    private final AtomicLong ids = new AtomicLong(100);

    EmbeddedApi(HttpApiSettings settings) {
        AtomicLong fence = new AtomicLong();
        FenceAllocator fences = new FenceAllocator() {
            @Override
            public long next() {
                return fence.incrementAndGet();
            }

            @Override
            public void close() {
            }
        };
        locks = new LockManager(new LockSettings(1024, 0, 33, 60, true), time, time, fences);
        sessions = new HttpSessions(locks, time, time, ids::incrementAndGet, settings);
        router = HttpApi.install(HttpRouter.builder(), locks, sessions, () -> "{}".getBytes(StandardCharsets.UTF_8),
                () -> false).build();
    }

    /** One request on its own connection. */
    final class Call {
        final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());

        Call(HttpMethod method, String path, String session, String body) {
            FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            if (session != null) {
                r.headers().set(HttpSessions.HEADER, session);
            }
            router.dispatch(new HttpExchange(channel.pipeline().firstContext(), r, (m, route, status, nanos) -> { }));
            runTasks();
        }

        void runTasks() {
            channel.runPendingTasks();
        }

        /** The response written so far, or {@code null}. */
        FullHttpResponse response() {
            return channel.readOutbound();
        }
    }

    Call post(String path, String session, String body) {
        return new Call(HttpMethod.POST, path, session, body);
    }

    /** Creates a session and returns its id. */
    String session() {
        String body = post("/v1/sessions", null, "").response().content().toString(StandardCharsets.UTF_8);
        return body.substring(body.indexOf(":\"") + 2, body.indexOf("\","));
    }
}
