package io.dflockd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.server.http.ApiClient.Res;
import io.dflockd.server.tls.TestCerts;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document against the server's routes and upstream's paths; TLS; the connection cap. */
@Tag("integration")
class HttpApiDocumentTest {
    /** Upstream's docs/openapi.json (v2.0.1): every path and method it documents, as data. */
    private static final Map<String, List<String>> UPSTREAM = Map.ofEntries(
            Map.entry("/health", List.of("get")), Map.entry("/ready", List.of("get")),
            Map.entry("/metrics", List.of("get")), Map.entry("/v1/openapi.json", List.of("get")),
            Map.entry("/v1/sessions", List.of("post")), Map.entry("/v1/sessions/{id}", List.of("delete")),
            Map.entry("/v1/sessions/{id}/ping", List.of("post")), Map.entry("/v1/stats", List.of("get")),
            Map.entry("/v1/locks/{key}", List.of("post")), Map.entry("/v1/locks/{key}/release", List.of("post")),
            Map.entry("/v1/locks/{key}/renew", List.of("post")), Map.entry("/v1/locks/{key}/enqueue", List.of("post")),
            Map.entry("/v1/locks/{key}/wait", List.of("post")), Map.entry("/v1/semaphores/{key}", List.of("post")),
            Map.entry("/v1/semaphores/{key}/release", List.of("post")),
            Map.entry("/v1/semaphores/{key}/renew", List.of("post")),
            Map.entry("/v1/semaphores/{key}/enqueue", List.of("post")),
            Map.entry("/v1/semaphores/{key}/wait", List.of("post")));
    /** Upstream's request fields per schema, all of which we accept. */
    private static final Map<String, List<String>> UPSTREAM_FIELDS = Map.of(
            "AcquireRequest", List.of("acquire_timeout_s", "lease_ttl_s"),
            "SemAcquireRequest", List.of("acquire_timeout_s", "limit", "lease_ttl_s"),
            "ReleaseRequest", List.of("token"), "RenewRequest", List.of("token", "lease_ttl_s"),
            "EnqueueRequest", List.of("lease_ttl_s"), "SemEnqueueRequest", List.of("limit", "lease_ttl_s"),
            "WaitRequest", List.of("timeout_s"), "OpResponse", List.of("status", "token", "lease_ttl_s"),
            "CreateSessionResponse", List.of("session_id", "idle_timeout_s"),
            "Stats", List.of("connections", "locks", "semaphores", "idle_locks", "idle_semaphores"));

    @Test
    void everyDocumentedRouteIsServedAndEveryUpstreamPathIsDocumented() throws Exception {
        try (DflockdServer s = DflockdServer.start(ServerConfig.builder().host("127.0.0.1").port(0)
                .httpAnyFreePort().authToken("tok").build())) {
            ApiClient anon = new ApiClient(s);
            Res served = anon.call("GET", "/v1/openapi.json", null, null);
            assertThat(served.status()).as("open to all, like upstream's").isEqualTo(200);
            JsonNode doc = served.json();
            assertThat(doc.get("openapi").asText()).startsWith("3.1");
            JsonNode paths = doc.get("paths");
            UPSTREAM.forEach((path, methods) -> {
                assertThat(paths.has(path)).as(path).isTrue();
                methods.forEach(m -> assertThat(paths.get(path).has(m)).as(m + " " + path).isTrue());
            });
            UPSTREAM_FIELDS.forEach((schema, fields) -> fields.forEach(f -> assertThat(
                    doc.at("/components/schemas/" + schema + "/properties").has(f)).as(schema + "." + f).isTrue()));

            ApiClient api = new ApiClient(s, "Authorization", "Bearer tok");
            List<String> checked = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                for (Iterator<String> ms = p.getValue().fieldNames(); ms.hasNext(); ) {
                    String method = ms.next().toUpperCase(java.util.Locale.ROOT);
                    String session = api.session();
                    String path = p.getKey().replace("{key}", "doc-key").replace("{id}", session);
                    Res r = api.call(method, path, session, "{}");
                    assertThat(r.status()).as(method + " " + path + ": " + r.body())
                            .isIn(documented(p.getValue(), method)).isNotEqualTo(405);
                    if (r.status() == 404) {
                        assertThat(r.error()).as("routed: only not_held may be 404").isEqualTo("not_held");
                    }
                    checked.add(method + " " + p.getKey());
                }
            }
            assertThat(checked).hasSizeGreaterThanOrEqualTo(UPSTREAM.size());
        }
    }

    /** The status codes the document lists for an operation. */
    private static List<Integer> documented(JsonNode pathItem, String method) {
        List<Integer> codes = new ArrayList<>();
        pathItem.get(method.toLowerCase(java.util.Locale.ROOT)).get("responses").fieldNames()
                .forEachRemaining(c -> codes.add(Integer.parseInt(c)));
        return codes;
    }

    @Test
    void theSessionApiSpeaksTlsWhenTheServerDoes(@TempDir Path dir) throws Exception {
        SSLContext ssl = TestCerts.localhostServerFiles(dir);
        try (DflockdServer s = DflockdServer.start(ServerConfig.builder().host("127.0.0.1").port(0).httpAnyFreePort()
                .tlsCert(dir.resolve("server.crt")).tlsKey(dir.resolve("server.key")).build())) {
            ApiClient api = new ApiClient(HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5))
                    .build(), "https://localhost:" + s.httpPort());
            String session = api.session();
            Res got = api.post("/v1/locks/tls", session, "{\"acquire_timeout_s\":0}");
            assertThat(got.json().get("status").asText()).isEqualTo("ok");
            assertThat(api.call("DELETE", "/v1/sessions/" + session, null, null).status()).isEqualTo(204);
        }
    }

    @Test
    void httpConnectionsPerIpAreCapped() throws Exception {
        try (DflockdServer s = DflockdServer.start(ServerConfig.builder().host("127.0.0.1").port(0).httpAnyFreePort()
                .httpApi(HttpApiSettings.DEFAULTS.withMaxConnectionsPerIp(1)).build());
                Socket first = new Socket("127.0.0.1", s.httpPort())) {
            first.setSoTimeout(5000);
            first.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertThat(new String(first.getInputStream().readNBytes(12))).isEqualTo("HTTP/1.1 200");
            try (Socket second = new Socket("127.0.0.1", s.httpPort())) {
                second.setSoTimeout(5000);
                int read;
                try {
                    second.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                    read = second.getInputStream().read();
                } catch (java.io.IOException reset) {
                    read = -1;
                }
                assertThat(read).as("closed without an answer").isEqualTo(-1);
            }
        }
    }
}
