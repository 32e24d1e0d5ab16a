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
import java.util.Set;

/**
 * The one place that maps a request to its handler: exact paths first, then path templates with
 * parameters ({@link PathTemplate}, e.g. {@code /v1/locks/{key}}) in the order they were added, one
 * handler per method, GET routes answering HEAD too. Before anything else, CORS headers and
 * preflights (when {@code --http-cors-allowed-origins} is set), then the per-IP rate limit
 * ({@code 429 rate_limited}, the probes exempt). An unknown path is {@code 404 not_found}, a known path with another
 * method {@code 405 method_not_allowed} with an {@code Allow} header, both with upstream's JSON
 * error body. With an auth token every route except the public ones (the probes) needs
 * {@code Authorization: Bearer <token>}, checked before routing so that an unauthenticated client
 * learns nothing about which paths exist ({@code 401 unauthorized}).
 */
public final class HttpRouter {
    private final Map<String, Map<HttpMethod, Route>> routes;
    private final Map<PathTemplate, Map<HttpMethod, Route>> templates;
    private final byte[] authToken;
    private final Runnable authFailed;
    private final CorsPolicy cors;
    private final RateLimiter limiter;
    private final Set<String> unlimited;

    private record Route(HttpHandler handler, boolean open) {
    }

    private HttpRouter(Builder b) {
        this.routes = b.routes;
        this.templates = b.templates;
        this.authToken = b.authToken;
        this.authFailed = b.authFailed;
        this.cors = b.cors;
        this.limiter = b.limiter;
        this.unlimited = b.unlimited;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Routes one request; the handler (or this router) answers it. */
    public void dispatch(HttpExchange ex) {
        if (cors != null && cors.apply(ex)) {
            return;
        }
        if (limiter != null && !unlimited.contains(ex.path()) && !limiter.allow(ex.remoteIp())) {
            ex.error(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited", "too many requests from this address");
            return;
        }
        Map<HttpMethod, Route> byMethod = find(ex);
        boolean open = byMethod != null && byMethod.values().stream().allMatch(Route::open);
        if (!open && authToken != null && !authorized(ex)) {
            authFailed.run();
            ex.route = "unmatched";
            ex.params = Map.of();
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

    /** The routes of the request's path, setting its route name and parameters; {@code null} if none. */
    private Map<HttpMethod, Route> find(HttpExchange ex) {
        Map<HttpMethod, Route> exact = routes.get(ex.path());
        if (exact != null) {
            ex.route = ex.path();
            return exact;
        }
        String raw = ex.rawPath();
        for (Map.Entry<PathTemplate, Map<HttpMethod, Route>> t : templates.entrySet()) {
            Map<String, String> params = t.getKey().match(raw);
            if (params != null) {
                ex.route = t.getKey().text();
                ex.params = params;
                return t.getValue();
            }
        }
        return null;
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
        private final Map<PathTemplate, Map<HttpMethod, Route>> templates = new LinkedHashMap<>();
        private final Map<String, PathTemplate> templateByText = new LinkedHashMap<>();
        private byte[] authToken;
        private Runnable authFailed = () -> { };
        private CorsPolicy cors;
        private RateLimiter limiter;
        private Set<String> unlimited = Set.of();

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
            Map<HttpMethod, Route> byMethod = PathTemplate.isTemplate(path)
                    ? templates.computeIfAbsent(templateByText.computeIfAbsent(path, PathTemplate::new),
                            t -> new LinkedHashMap<>())
                    : routes.computeIfAbsent(path, p -> new LinkedHashMap<>());
            Route previous = byMethod.put(method, new Route(handler, open));
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

        /** CORS for these origins ({@code *} = any); an empty list leaves CORS off. */
        public Builder cors(List<String> origins) {
            this.cors = CorsPolicy.of(origins);
            return this;
        }

        /**
         * A per-IP token bucket of {@code burst} requests (0 = {@code rate}) refilled at {@code rate}
         * per second (0 = no limit); the {@code exempt} exact paths are never limited.
         */
        public Builder rateLimit(int rate, int burst, io.dflockd.server.time.Clock clock, Set<String> exempt) {
            this.limiter = RateLimiter.of(rate, burst, clock);
            this.unlimited = Set.copyOf(exempt);
            return this;
        }

        public HttpRouter build() {
            return new HttpRouter(this);
        }
    }
}
