package io.dflockd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dflockd.protocol.Stats;
import io.dflockd.server.DflockdServer;
import io.dflockd.testing.EmbeddedServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The status page's routes over real HTTP: the files from the jar, the data, and auth. */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class StatusPageHttpTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DflockdServer open;
    private static DflockdServer guarded;

    @BeforeAll
    static void start() {
        open = EmbeddedServers.start(b -> b.httpAnyFreePort());
        guarded = EmbeddedServers.start(b -> b.httpAnyFreePort().authToken("sesame"));
    }

    @AfterAll
    static void stop() {
        open.close();
        guarded.close();
    }

    private static HttpResponse<String> send(DflockdServer s, String method, String path, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void servesThePageAndItsFilesFromTheJarWithTheirTypesRevalidatedByEtag() throws Exception {
        String[][] files = {
            {"/", "text/html; charset=utf-8", "<script src=\"/status/status.js\" defer></script>"},
            {"/status/status.js", "text/javascript; charset=utf-8", "/status/data.json"},
            {"/status/status.css", "text/css; charset=utf-8", ".countdown"},
        };
        for (String[] f : files) {
            HttpResponse<String> r = send(open, "GET", f[0]);
            assertThat(r.statusCode()).as(f[0]).isEqualTo(200);
            assertThat(header(r, "content-type")).as(f[0]).isEqualTo(f[1]);
            assertThat(header(r, "cache-control")).as(f[0]).isEqualTo("no-cache");
            assertThat(header(r, "content-security-policy")).as(f[0]).contains("script-src 'self'");
            assertThat(r.body()).as(f[0]).contains(f[2]);
            String etag = header(r, "etag");
            assertThat(etag).as(f[0]).matches("\"[0-9a-f]{32}\"");

            HttpResponse<String> again = send(open, "GET", f[0], "If-None-Match", etag);
            assertThat(again.statusCode()).as(f[0]).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(header(again, "etag")).isEqualTo(etag);
            assertThat(send(open, "GET", f[0], "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);

            HttpResponse<String> head = send(open, "HEAD", f[0]);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(header(head, "content-length")).isEqualTo(Integer.toString(r.body().getBytes(StandardCharsets.UTF_8).length));
        }
    }

    @Test
    void unknownStaticFilesAndOtherMethodsAreRefusedAsEveryOtherPath() throws Exception {
        for (String path : new String[] {"/status/", "/status/nope.js", "/index.html", "/status/../status.js"}) {
            HttpResponse<String> r = send(open, "GET", path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).startsWith("{\"error\":\"not_found\",");
        }
        HttpResponse<String> post = send(open, "POST", "/");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(header(post, "allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void dataIsTheStatsReplyPlusTheServerTime() throws Exception {
        String key = EmbeddedServers.key("report");
        try (WireConnection holder = new WireConnection(open.port());
                WireConnection waiter = new WireConnection(open.port())) {
            holder.lock(key, 30);
            assertThat(waiter.call("e", key, "")).isEqualTo("queued");
            String tcp = holder.call("stats", "_", "_");
            long before = System.currentTimeMillis();
            HttpResponse<String> r = send(open, "GET", StatusPage.DATA_PATH);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(header(r, "content-type")).isEqualTo("application/json");
            assertThat(header(r, "cache-control")).isEqualTo("no-store");
            assertThat(r.body()).endsWith("}\n");

            JsonNode data = JSON.readTree(r.body());
            assertThat(data.get("server_time_ms").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
            Set<String> fields = new HashSet<>();
            data.fieldNames().forEachRemaining(fields::add);
            Set<String> expected = new HashSet<>(Set.of("server_time_ms"));
            JSON.readTree(tcp.substring("ok ".length())).fieldNames().forEachRemaining(expected::add);
            assertThat(fields).isEqualTo(expected);

            Stats stats = Stats.parse(r.body());
            Stats.LockStat lock = stats.lock(key).orElseThrow();
            assertThat(lock.ownerConnId()).isEqualTo(Stats.parse(tcp.substring(3)).lock(key).orElseThrow().ownerConnId());
            assertThat(lock.leaseExpiresInS()).isBetween(25.0, 30.0);
            assertThat(lock.waiters()).isEqualTo(1);
            assertThat(stats.connections()).isEqualTo(2);
        }
    }

    @Test
    void withAnAuthTokenThePageIsOpenAndItsDataNeedsTheBearerToken() throws Exception {
        assertThat(send(guarded, "GET", "/").statusCode()).isEqualTo(200);
        assertThat(send(guarded, "GET", "/status/status.js").statusCode()).isEqualTo(200);
        assertThat(send(guarded, "GET", "/status/status.css").statusCode()).isEqualTo(200);

        HttpResponse<String> denied = send(guarded, "GET", StatusPage.DATA_PATH);
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(header(denied, "www-authenticate")).isEqualTo("Bearer");
        assertThat(send(guarded, "GET", StatusPage.DATA_PATH, "Authorization", "Bearer wrong").statusCode())
                .isEqualTo(401);
        HttpResponse<String> allowed = send(guarded, "GET", StatusPage.DATA_PATH, "Authorization", "Bearer sesame");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).startsWith("{\"server_time_ms\":");
        // Auth comes before routing: without the token an unknown file says nothing about what exists.
        assertThat(send(guarded, "GET", "/status/nope.js").statusCode()).isEqualTo(401);
    }
}
