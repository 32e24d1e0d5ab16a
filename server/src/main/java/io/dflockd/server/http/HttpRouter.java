package io.dflockd.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that maps a request to its handler: exact paths, one handler per method, GET
 * routes answering HEAD too. An unknown path is {@code 404 not_found}, a known path with another
 * method {@code 405 method_not_allowed} with an {@code Allow} header, both with upstream's JSON
 * error body. With an auth token every route except the public ones (the probes) needs
 * {@code Authorization: Bearer <token>}, checked before routing so that an unauthenticated client
 * learns nothing about which paths exist ({@code 401 unauthorized}).
 */
public final class HttpRouter {
    private final Map<String, Map<HttpMethod, Route>> routes;
    private final byte[] authToken;
    private final Runnable authFailed;

    private record Route(HttpHandler handler, boolean open) {
    }

    private HttpRouter(Builder b) {
        this.routes = b.routes;
        this.authToken = b.authToken;
        this.authFailed = b.authFailed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Routes one request; the handler (or this router) answers it. */
    public void dispatch(HttpExchange ex) {
        Map<HttpMethod, Route> byMethod = routes.get(ex.path());
        boolean open = byMethod != null && byMethod.values().stream().allMatch(Route::open);
        if (!open && authToken != null && !authorized(ex)) {
            authFailed.run();
            ex.respond(HttpResponseStatus.UNAUTHORIZED, HttpExchange.JSON,
                    (Json.error("unauthorized", "this path needs Authorization: Bearer <the server's auth token>")
                            + "\n").getBytes(StandardCharsets.UTF_8),
                    new String[] {HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer"});
            return;
        }
        if (byMethod == null) {
            ex.error(HttpResponseStatus.NOT_FOUND, "not_found", "no such path: " + ex.path());
            return;
        }
        ex.route = ex.path();
        HttpMethod method = ex.method();
        Route route = byMethod.get(method);
        if (route == null && HttpMethod.HEAD.equals(method)) {
            route = byMethod.get(HttpMethod.GET);
        }
        if (route == null) {
            String allow = allowed(byMethod);
            ex.respond(HttpResponseStatus.METHOD_NOT_ALLOWED, HttpExchange.JSON,
                    (Json.error("method_not_allowed", ex.path() + " allows " + allow) + "\n")
                            .getBytes(StandardCharsets.UTF_8),
                    new String[] {HttpHeaderNames.ALLOW.toString(), allow});
            return;
        }
        route.handler().handle(ex);
    }

    private static String allowed(Map<HttpMethod, Route> byMethod) {
        List<String> names = new ArrayList<>();
        for (HttpMethod m : byMethod.keySet()) {
            names.add(m.name());
            if (HttpMethod.GET.equals(m) && !byMethod.containsKey(HttpMethod.HEAD)) {
                names.add(HttpMethod.HEAD.name());
            }
        }
        return String.join(", ", names);
    }

    private boolean authorized(HttpExchange ex) {
        String header = ex.request().headers().get(HttpHeaderNames.AUTHORIZATION);
        String prefix = "Bearer ";
        if (header == null || header.length() < prefix.length()
                || !header.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false;
        }
        byte[] given = header.substring(prefix.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, authToken);
    }

    /** Collects the routes; the order of methods on a path is the order of the Allow header. */
    public static final class Builder {
        private final Map<String, Map<HttpMethod, Route>> routes = new LinkedHashMap<>();
        private byte[] authToken;
        private Runnable authFailed = () -> { };

        private Builder() {
        }

        /** A route that needs the bearer token when the server has an auth token. */
        public Builder route(HttpMethod method, String path, HttpHandler handler) {
            return add(method, path, handler, false);
        }

        /** A route anyone may call, auth token or not (the probes). */
        public Builder openRoute(HttpMethod method, String path, HttpHandler handler) {
            return add(method, path, handler, true);
        }

        private Builder add(HttpMethod method, String path, HttpHandler handler, boolean open) {
            Route previous = routes.computeIfAbsent(path, p -> new LinkedHashMap<>())
                    .put(method, new Route(handler, open));
            if (previous != null) {
                throw new IllegalArgumentException("two handlers for " + method + " " + path);
            }
            return this;
        }

        /**
         * @param token      the UTF-8 bytes of the shared secret, or {@code null} for no auth
         * @param authFailed called once per rejected request
         */
        public Builder auth(byte[] token, Runnable authFailed) {
            this.authToken = token;
            this.authFailed = authFailed;
            return this;
        }

        public HttpRouter build() {
            return new HttpRouter(this);
        }
    }
}
