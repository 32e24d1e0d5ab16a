package io.dflockd.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A route path with parameters, upstream's {@code /v1/locks/{key}/release}: literal segments match
 * exactly, a {@code {name}} segment matches one non-empty segment of the raw (still percent-encoded)
 * path and is decoded on its own, so a key may hold an encoded slash ({@code a%2Fb} is the key
 * {@code a/b}) but never spans two segments.
 */
final class PathTemplate {
    private final String text;
    private final String[] segments;

    PathTemplate(String text) {
        if (!text.startsWith("/") || !text.contains("{")) {
            throw new IllegalArgumentException("not a path template: " + text);
        }
        this.text = text;
        this.segments = text.substring(1).split("/", -1);
    }

    /** Whether {@code path} contains a parameter, so that it needs a template rather than an exact route. */
    static boolean isTemplate(String path) {
        return path.indexOf('{') >= 0;
    }

    /** The template as written, the route's name in the metrics. */
    String text() {
        return text;
    }

    /**
     * Matches the raw path (no query string).
     *
     * @return the decoded parameters by name, or {@code null} when the path does not match
     */
    Map<String, String> match(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return null;
        }
        String[] parts = rawPath.substring(1).split("/", -1);
        if (parts.length != segments.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < parts.length; i++) {
            String s = segments[i];
            if (s.startsWith("{") && s.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>(2);
                }
                params.put(s.substring(1, s.length() - 1), decode(parts[i]));
            } else if (!s.equals(parts[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    /** Percent-decoding of a path segment ({@code +} stays a plus, as in paths it is). */
    private static String decode(String segment) {
        return QueryStringDecoder.decodeComponent(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text;
    }
}
