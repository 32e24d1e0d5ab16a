package io.dflockd.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code POST /v1/sessions}, {@code DELETE /v1/sessions/{id}} and {@code POST /v1/sessions/{id}/ping}. */
final class SessionHandlers {
    private SessionHandlers() {
    }

    static HttpRouter.Builder install(HttpRouter.Builder router, HttpSessions sessions) {
        return router
                .route(HttpMethod.POST, "/v1/sessions", ex -> create(ex, sessions))
                .route(HttpMethod.DELETE, "/v1/sessions/{id}", ex -> {
                    if (wellFormed(ex)) {
                        answer(ex, sessions.close(ex.param("id")));
                    }
                })
                .route(HttpMethod.POST, "/v1/sessions/{id}/ping", ex -> {
                    if (wellFormed(ex)) {
                        answer(ex, sessions.ping(ex.param("id")));
                    }
                });
    }

    private static void create(HttpExchange ex, HttpSessions sessions) {
        Object created = sessions.create(ex.remoteIp());
        if (created instanceof HttpSessions.Refusal r) {
            ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE, r.code(), r.detail());
            return;
        }
        ex.json(HttpResponseStatus.OK, "{\"session_id\":\"" + ((HttpSession) created).id()
                + "\",\"idle_timeout_s\":" + sessions.idleTimeoutSeconds() + "}");
    }

    private static boolean wellFormed(HttpExchange ex) {
        if (HttpSessions.wellFormed(ex.param("id"))) {
            return true;
        }
        LockReplies.badRequest(ex, "a session id is 32 lowercase hex digits");
        return false;
    }

    private static void answer(HttpExchange ex, boolean found) {
        if (found) {
            ex.noContent();
        } else {
            LockReplies.sessionGone(ex);
        }
    }
}
