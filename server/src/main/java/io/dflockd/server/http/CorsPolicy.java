package io.dflockd.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Set;

/**
 * Opt-in CORS (upstream v1.16, {@code --http-cors-allowed-origins}): an allowed {@code Origin} is
 * echoed (with {@code Vary: Origin}), {@code *} allows every origin; the allowed methods and headers
 * are upstream's. A preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) is
 * answered 204 before authentication, as browsers send it without credentials.
 */
final class CorsPolicy {
    private final boolean any;
    private final Set<String> origins;

    private CorsPolicy(List<String> origins) {
        this.any = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    /** The policy for these origins, or {@code null} (CORS off) when the list is empty. */
    static CorsPolicy of(List<String> origins) {
        return origins.isEmpty() ? null : new CorsPolicy(origins);
    }

    /**
     * Adds the CORS headers the request's origin earns to whatever response it gets.
     *
     * @return true when the request was a preflight and has been answered
     */
    boolean apply(HttpExchange ex) {
        String origin = ex.header(HttpHeaderNames.ORIGIN);
        if (origin != null && (any || origins.contains(origin))) {
            ex.commonHeader(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN.toString(), any ? "*" : origin);
            if (!any) {
                ex.commonHeader(HttpHeaderNames.VARY.toString(), "Origin");
            }
            ex.commonHeader(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS.toString(), "GET, POST, DELETE, OPTIONS");
            ex.commonHeader(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS.toString(),
                    "Authorization, Content-Type, X-Dflockd-Session");
            ex.commonHeader(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE.toString(), "300");
        }
        if (HttpMethod.OPTIONS.equals(ex.method())
                && ex.header(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD) != null) {
            ex.route = "preflight";
            ex.noContent();
            return true;
        }
        return false;
    }
}
