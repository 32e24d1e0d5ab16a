package io.dflockd.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dflockd.server.DflockdServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The JDK's HttpClient against one server's HTTP port, for the session API's tests. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final String[] always;

    /** A response: status, body, headers, and the body as JSON. */
    record Res(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String error() {
            return json().path("error").asText();
        }
    }

    ApiClient(HttpClient http, String base, String... always) {
        this.http = http;
        this.base = base;
        this.always = always;
    }

    ApiClient(DflockdServer s, String... always) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                "http://127.0.0.1:" + s.httpPort(), always);
    }

    private HttpRequest request(String method, String path, String session, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("X-Dflockd-Session", session);
        }
        if (always.length > 0) {
            b.headers(always);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    Res call(String method, String path, String session, String body, String... headers) {
        try {
            HttpResponse<String> r = http.send(request(method, path, session, body, headers),
                    HttpResponse.BodyHandlers.ofString());
            return new Res(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<Res> callAsync(String method, String path, String session, String body) {
        return http.sendAsync(request(method, path, session, body), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Res(r.statusCode(), r.body(), r.headers()));
    }

    Res post(String path, String session, String body) {
        return call("POST", path, session, body);
    }

    /** A new session's id. */
    String session() {
        Res r = post("/v1/sessions", null, null);
        if (r.status() != 200) {
            throw new AssertionError("POST /v1/sessions: " + r);
        }
        return r.json().get("session_id").asText();
    }
}
