package io.dflockd.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * The live status page: {@code /} and its script and style sheet, served from the jar, open to all;
 * its data, {@code /status/data.json}, behind the auth token when one is set (docs/HTTP.md, "Status
 * page"). The page polls the data once a second and counts leases down in between.
 */
public final class StatusPage {
    /** The page's data: the {@code stats} reply's JSON plus {@code server_time_ms}. */
    public static final String DATA_PATH = "/status/data.json";
    private static final String RESOURCES = "status/";
    /** The page loads nothing from elsewhere and runs no inline code. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private StatusPage() {
    }

    /**
     * Adds the page's routes.
     *
     * @param statsJson the UTF-8 JSON object of the TCP {@code stats} reply, made afresh per call
     */
    public static HttpRouter.Builder install(HttpRouter.Builder router, Supplier<byte[]> statsJson) {
        return router
                .openRoute(HttpMethod.GET, "/", file("index.html", "text/html; charset=utf-8"))
                .openRoute(HttpMethod.GET, "/status/status.js", file("status.js", "text/javascript; charset=utf-8"))
                .openRoute(HttpMethod.GET, "/status/status.css", file("status.css", "text/css; charset=utf-8"))
                .route(HttpMethod.GET, DATA_PATH,
                        ex -> ex.respond(HttpResponseStatus.OK, HttpExchange.JSON, data(statsJson.get()), null));
    }

    /** {@code {"server_time_ms":…,} followed by the members of the stats object. */
    static byte[] data(byte[] stats) {
        if (stats.length < 2 || stats[0] != '{') {
            throw new IllegalStateException("stats is not a JSON object");
        }
        byte[] head = ("{\"server_time_ms\":" + System.currentTimeMillis() + (stats.length > 2 ? "," : ""))
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + stats.length - 1 + 1];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(stats, 1, out, head.length, stats.length - 1);
        out[out.length - 1] = '\n';
        return out;
    }

    /**
     * A static file, read once: revalidated on every use ({@code no-cache}) against its ETag, so a
     * server upgrade is seen at once and an unchanged file costs a 304.
     */
    private static HttpHandler file(String name, String contentType) {
        byte[] body = resource(name);
        String etag = "\"" + sha256(body) + "\"";
        String[] headers = {HttpHeaderNames.CACHE_CONTROL.toString(), "no-cache", HttpHeaderNames.ETAG.toString(), etag,
            "Content-Security-Policy", CSP, "Referrer-Policy", "no-referrer"};
        // A 304 has no body; its Content-Length, if any, must be the 200's (RFC 9110 §8.6).
        String[] notModified = Arrays.copyOf(headers, headers.length + 2);
        notModified[headers.length] = HttpHeaderNames.CONTENT_LENGTH.toString();
        notModified[headers.length + 1] = Integer.toString(body.length);
        return ex -> {
            if (etag.equals(ex.request().headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
                ex.respond(HttpResponseStatus.NOT_MODIFIED, contentType, new byte[0], notModified);
            } else {
                ex.respond(HttpResponseStatus.OK, contentType, body, headers);
            }
        };
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name + " next to " + StatusPage.class);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
