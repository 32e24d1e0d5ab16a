package io.dflockd.server;

import io.dflockd.server.http.HttpApiSettings;
import picocli.CommandLine.Option;

/** The session API's flags (upstream v1.16's {@code --http-*}), a picocli mixin of {@link Main}. */
final class HttpApiOptions {
    @Option(names = "--http-session-idle-timeout", paramLabel = "SECONDS",
            defaultValue = "" + HttpApiSettings.DEFAULT_SESSION_IDLE_TIMEOUT_S,
            description = "Idle timeout told to HTTP sessions; one unused for twice as long is closed, 0 = never "
                    + "[DFLOCKD_HTTP_SESSION_IDLE_S] (default: ${DEFAULT-VALUE})")
    long sessionIdleTimeout;
    @Option(names = "--http-max-sessions", paramLabel = "N", defaultValue = "0",
            description = "Open HTTP sessions, 0 = unlimited [DFLOCKD_HTTP_MAX_SESSIONS] (default: ${DEFAULT-VALUE})")
    int maxSessions;
    @Option(names = "--http-max-sessions-per-ip", paramLabel = "N", defaultValue = "0",
            description = "Open HTTP sessions per client IP, 0 = unlimited [DFLOCKD_HTTP_MAX_SESSIONS_PER_IP] "
                    + "(default: ${DEFAULT-VALUE})")
    int maxSessionsPerIp;
    @Option(names = "--http-max-connections-per-ip", paramLabel = "N", defaultValue = "0",
            description = "Open HTTP connections per client IP, 0 = unlimited [DFLOCKD_HTTP_MAX_CONNECTIONS_PER_IP] "
                    + "(default: ${DEFAULT-VALUE})")
    int maxConnectionsPerIp;
    @Option(names = "--http-rate-limit-per-ip", paramLabel = "N", defaultValue = "0",
            description = "HTTP requests per second per client IP, 0 = unlimited [DFLOCKD_HTTP_RATE_LIMIT_PER_IP] "
                    + "(default: ${DEFAULT-VALUE})")
    int rateLimitPerIp;
    @Option(names = "--http-rate-limit-burst", paramLabel = "N", defaultValue = "0",
            description = "Burst of the per-IP rate limit, 0 = the rate [DFLOCKD_HTTP_RATE_LIMIT_BURST] "
                    + "(default: ${DEFAULT-VALUE})")
    int rateLimitBurst;
    @Option(names = "--http-cors-allowed-origins", paramLabel = "ORIGINS",
            description = "Comma-separated origins allowed by CORS, * = any; unset = CORS off "
                    + "[DFLOCKD_HTTP_CORS_ALLOWED_ORIGINS]")
    String corsAllowedOrigins;

    HttpApiSettings settings() {
        return new HttpApiSettings(sessionIdleTimeout, maxSessions, maxSessionsPerIp, maxConnectionsPerIp,
                rateLimitPerIp, rateLimitBurst, HttpApiSettings.origins(corsAllowedOrigins));
    }
}
