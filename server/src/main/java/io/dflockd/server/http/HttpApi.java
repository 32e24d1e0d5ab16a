package io.dflockd.server.http;

import io.dflockd.server.lock.LockManager;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Upstream's session API on the HTTP port: sessions, locks and semaphores, {@code GET /v1/stats}
 * (the TCP {@code stats} reply's JSON) and {@code GET /v1/openapi.json}, served from the jar and open
 * to all as upstream's is (the document describes the auth it asks for).
 */
public final class HttpApi {
    /** The OpenAPI document, a resource next to this class. */
    static final String OPENAPI_RESOURCE = "openapi.json";

    private HttpApi() {
    }

    /**
     * Adds every route of the API.
     *
     * @param stats    the stats JSON, the same bytes the TCP {@code stats} command answers
     * @param draining whether the server is draining (no new sessions or acquires)
     */
    public static HttpRouter.Builder install(HttpRouter.Builder router, LockManager locks, HttpSessions sessions,
            Supplier<byte[]> stats, BooleanSupplier draining) {
        byte[] openapi = openapi();
        SessionHandlers.install(router, sessions);
        LockHandlers.install(router, locks, sessions, draining);
        return router
                .route(HttpMethod.GET, "/v1/stats", ex -> ex.json(HttpResponseStatus.OK,
                        new String(stats.get(), StandardCharsets.UTF_8)))
                .openRoute(HttpMethod.GET, "/v1/openapi.json",
                        ex -> ex.respond(HttpResponseStatus.OK, HttpExchange.JSON, openapi, null));
    }

    static byte[] openapi() {
        try (InputStream in = HttpApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
