package io.dflockd.server.http;

import io.dflockd.server.metrics.ServerMetrics;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.BooleanSupplier;

/** The operational endpoints: {@code /health}, {@code /ready} and {@code /metrics} (upstream v1.16). */
public final class OpsHandlers {
    private OpsHandlers() {
    }

    /**
     * Adds the three routes: the probes open to all, {@code /metrics} behind the auth token when
     * one is set (as upstream).
     *
     * @param draining whether the server is draining (graceful shutdown)
     */
    public static HttpRouter.Builder install(HttpRouter.Builder router, BooleanSupplier draining,
            ServerMetrics metrics) {
        return router
                .openRoute(HttpMethod.GET, "/health", ex -> ex.json(HttpResponseStatus.OK, "{\"status\":\"ok\"}"))
                .openRoute(HttpMethod.GET, "/ready", ex -> {
                    if (draining.getAsBoolean()) {
                        ex.json(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"draining\"}");
                    } else {
                        ex.json(HttpResponseStatus.OK, "{\"status\":\"ok\"}");
                    }
                })
                .route(HttpMethod.GET, "/metrics",
                        ex -> ex.respond(HttpResponseStatus.OK, metrics.contentType(), metrics.scrape(), null));
    }
}
