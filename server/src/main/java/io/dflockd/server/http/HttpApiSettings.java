package io.dflockd.server.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The session API's settings (upstream v1.16's {@code --http-*} flags): the session idle timeout and
 * caps, the per-IP connection cap and rate limit, and the CORS origins. Zero means "no limit"
 * everywhere, as upstream.
 *
 * @param sessionIdleTimeoutSeconds advertised idle timeout; a session unused for twice as long is
 *     closed (0 = sessions never expire)
 * @param maxSessions open sessions at once (0 = unlimited)
 * @param maxSessionsPerIp open sessions per client IP (0 = unlimited)
 * @param maxConnectionsPerIp open HTTP connections per client IP (0 = unlimited)
 * @param rateLimitPerIp requests per second per client IP (0 = unlimited)
 * @param rateLimitBurst bucket size (0 = {@code rateLimitPerIp})
 * @param corsAllowedOrigins allowed origins, {@code *} = any (empty = CORS off)
 */
public record HttpApiSettings(long sessionIdleTimeoutSeconds, int maxSessions, int maxSessionsPerIp,
        int maxConnectionsPerIp, int rateLimitPerIp, int rateLimitBurst, List<String> corsAllowedOrigins) {
    /** Upstream's default idle timeout. */
    public static final long DEFAULT_SESSION_IDLE_TIMEOUT_S = 20;
    /** Upstream's defaults: 20 s idle timeout, no caps, no rate limit, no CORS. */
    public static final HttpApiSettings DEFAULTS = new HttpApiSettings(DEFAULT_SESSION_IDLE_TIMEOUT_S,
            0, 0, 0, 0, 0, List.of());

    public HttpApiSettings {
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    }

    /** Upstream's parsing of {@code --http-cors-allowed-origins}: comma-separated, trimmed, empties dropped. */
    public static List<String> origins(String commaSeparated) {
        List<String> out = new ArrayList<>();
        if (commaSeparated != null) {
            for (String o : commaSeparated.split(",")) {
                if (!o.isBlank()) {
                    out.add(o.strip());
                }
            }
        }
        return out;
    }

    public HttpApiSettings withSessionIdleTimeoutSeconds(long v) {
        return new HttpApiSettings(v, maxSessions, maxSessionsPerIp, maxConnectionsPerIp, rateLimitPerIp,
                rateLimitBurst, corsAllowedOrigins);
    }

    public HttpApiSettings withSessionCaps(int max, int perIp) {
        return new HttpApiSettings(sessionIdleTimeoutSeconds, max, perIp, maxConnectionsPerIp, rateLimitPerIp,
                rateLimitBurst, corsAllowedOrigins);
    }

    public HttpApiSettings withMaxConnectionsPerIp(int v) {
        return new HttpApiSettings(sessionIdleTimeoutSeconds, maxSessions, maxSessionsPerIp, v, rateLimitPerIp,
                rateLimitBurst, corsAllowedOrigins);
    }

    public HttpApiSettings withRateLimit(int perIp, int burst) {
        return new HttpApiSettings(sessionIdleTimeoutSeconds, maxSessions, maxSessionsPerIp, maxConnectionsPerIp,
                perIp, burst, corsAllowedOrigins);
    }

    public HttpApiSettings withCorsAllowedOrigins(List<String> v) {
        return new HttpApiSettings(sessionIdleTimeoutSeconds, maxSessions, maxSessionsPerIp, maxConnectionsPerIp,
                rateLimitPerIp, rateLimitBurst, v);
    }
}
