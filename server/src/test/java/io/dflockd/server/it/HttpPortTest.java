package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.server.tls.TestCerts;
import io.dflockd.server.tls.TestCerts.KeyFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP port (/health, /ready, /metrics) of a real server, over real HTTP and TCP. */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class HttpPortTest {
    /**
     * One exposition line: {@code name{labels} value} (labels optional), or a comment. Label values
     * are quoted strings, which may hold braces (the route label /v1/sessions/{id}).
     */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[^}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static DflockdServer start(UnaryOperator<ServerConfig.Builder> tweak) throws IOException {
        return DflockdServer.start(tweak.apply(ServerConfig.builder().host("127.0.0.1").port(0).httpAnyFreePort())
                .build());
    }

    private static HttpResponse<String> send(HttpClient client, String method, String url, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(DflockdServer s, String path, String... headers) throws Exception {
        return send(HTTP, "GET", "http://127.0.0.1:" + s.httpPort() + path, headers);
    }

    /** Parses the exposition strictly: every line a comment or a sample; returns series → value. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> series = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("exposition line: %s", line).isTrue();
            String value = m.group(3);
            double v = value.equals("+Inf") ? Double.POSITIVE_INFINITY
                    : value.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(value);
            series.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), v);
        }
        return series;
    }

    private static Map<String, Double> metrics(DflockdServer s) throws Exception {
        HttpResponse<String> r = get(s, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
        return parse(r.body());
    }

    @Test
    void healthAndReadyAnswerOkWithUpstreamsBodies() throws Exception {
        try (DflockdServer s = start(b -> b)) {
            assertThat(s.httpPort()).isPositive().isNotEqualTo(s.port());
            HttpResponse<String> health = get(s, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}\n");
            assertThat(health.headers().firstValue("content-type")).hasValue("application/json");
            HttpResponse<String> ready = get(s, "/ready?verbose=1");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ok\"}\n");
            HttpResponse<String> head = send(HTTP, "HEAD", "http://127.0.0.1:" + s.httpPort() + "/health");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("content-length")).hasValue("16");
        }
    }

    @Test
    void unknownPathsAndWrongMethodsGetJsonErrors() throws Exception {
        try (DflockdServer s = start(b -> b)) {
            HttpResponse<String> missing = get(s, "/nope%22");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("{\"error\":\"not_found\",\"detail\":\"no such path: /nope\\\"\"}\n");
            HttpResponse<String> post = send(HTTP, "POST", "http://127.0.0.1:" + s.httpPort() + "/health");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
            assertThat(post.body()).isEqualTo(
                    "{\"error\":\"method_not_allowed\",\"detail\":\"/health allows GET, HEAD\"}\n");
            assertThat(send(HTTP, "DELETE", "http://127.0.0.1:" + s.httpPort() + "/metrics").statusCode())
                    .isEqualTo(405);
        }
    }

    @Test
    void readyIs503WhileTheServerDrainsAndHealthStaysOk() throws Exception {
        DflockdServer s = start(b -> b);
        try (RawPeer holder = new RawPeer(s.port())) {
            assertThat(holder.call("l", "drain-key", "0")).startsWith("ok ");
            Thread drain = new Thread(() -> s.shutdownGracefully(Duration.ofSeconds(30)), "test-drain");
            drain.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> get(s, "/ready").statusCode() == 503);
            HttpResponse<String> ready = get(s, "/ready");
            assertThat(ready.body()).isEqualTo("{\"status\":\"draining\"}\n");
            assertThat(get(s, "/health").statusCode()).isEqualTo(200);
            assertThat(metrics(s)).containsEntry("dflockd_ready", 0.0);
            holder.close(); // the holder goes: the drain ends
            drain.join(10_000);
            assertThat(drain.isAlive()).isFalse();
        } finally {
            s.close();
        }
    }

    @Test
    void readWriteLocksHaveTheirOwnTypeAndGauges() throws Exception {
        try (DflockdServer s = start(b -> b); RawPeer a = new RawPeer(s.port()); RawPeer b = new RawPeer(s.port())) {
            assertThat(a.call("rl", "cfg", "0")).startsWith("ok ");
            String read = b.call("rl", "cfg", "0").split(" ")[1];
            assertThat(a.call("wl", "cfg", "0")).isEqualTo("timeout");
            b.send("wl", "cfg", "10");
            await().atMost(Duration.ofSeconds(5)).until(() -> metrics(s).get("dflockd_rwlock_waiters") == 1.0);
            assertThat(metrics(s)).containsEntry("dflockd_rwlock_holders", 2.0)
                    .containsEntry("dflockd_grants_total{type=\"rwlock\"}", 2.0)
                    .containsEntry("dflockd_acquire_timeouts_total{type=\"rwlock\"}", 1.0)
                    .containsEntry("dflockd_grants_total{type=\"semaphore\"}", 0.0)
                    .containsEntry("dflockd_semaphore_holders", 0.0)
                    .containsEntry("dflockd_keys", 1.0);
            assertThat(a.call("rr", "cfg", read)).isEqualTo("ok");
        }
    }

    @Test
    void countersFollowTheTcpTrafficExactly() throws Exception {
        int n = 7;
        try (DflockdServer s = start(b -> b)) {
            Map<String, Double> before = metrics(s);
            assertThat(before).containsEntry("dflockd_ready", 1.0).containsEntry("dflockd_connections", 0.0)
                    .containsKey("jvm_memory_used_bytes{area=\"heap\"}");
            try (RawPeer a = new RawPeer(s.port()); RawPeer b = new RawPeer(s.port())) {
                for (int i = 0; i < n; i++) {
                    String token = a.call("l", "k", "0").split(" ")[1];
                    assertThat(a.call("r", "k", token)).isEqualTo("ok");
                }
                String held = a.call("l", "k", "0").split(" ")[1];
                assertThat(b.call("l", "k", "0")).isEqualTo("timeout"); // a try-lock
                assertThat(b.call("sl", "sem", "0 3")).startsWith("ok ");
                Map<String, Double> during = metrics(s);
                assertThat(during).containsEntry("dflockd_connections", 2.0)
                        .containsEntry("dflockd_locks_held", 1.0)
                        .containsEntry("dflockd_semaphore_holders", 1.0)
                        .containsEntry("dflockd_grants_total{type=\"lock\"}", n + 1.0)
                        .containsEntry("dflockd_grants_total{type=\"semaphore\"}", 1.0)
                        .containsEntry("dflockd_releases_total{type=\"lock\"}", (double) n)
                        .containsEntry("dflockd_acquire_timeouts_total{type=\"lock\"}", 1.0)
                        .containsEntry("dflockd_lease_expiries_total{type=\"lock\"}", 0.0)
                        .containsEntry("dflockd_acquire_wait_seconds_count", n + 2.0)
                        .containsEntry("dflockd_acquire_wait_seconds_bucket{le=\"0.001\"}", n + 2.0);
                // a waiter, granted on release: one grant that waited
                b.send("l", "k", "10");
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> metrics(s).get("dflockd_lock_waiters") == 1.0);
                assertThat(a.call("r", "k", held)).isEqualTo("ok");
                assertThat(b.line()).startsWith("ok ");
                Map<String, Double> after = metrics(s);
                assertThat(after).containsEntry("dflockd_grants_total{type=\"lock\"}", n + 2.0)
                        .containsEntry("dflockd_acquire_wait_seconds_count", n + 3.0)
                        .containsEntry("dflockd_lock_waiters", 0.0);
                assertThat(after.get("dflockd_acquire_wait_seconds_sum")).isPositive();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> metrics(s).get("dflockd_connections") == 0.0);
            // the auto-release of b's lock and semaphore slot on disconnect counts as a release
            Map<String, Double> end = metrics(s);
            assertThat(end).containsEntry("dflockd_releases_total{type=\"lock\"}", n + 2.0)
                    .containsEntry("dflockd_releases_total{type=\"semaphore\"}", 1.0)
                    .containsEntry("dflockd_locks_held", 0.0);
            assertThat(end).containsEntry(
                    "dflockd_http_requests_total{method=\"GET\",path=\"/metrics\",status=\"200\"}",
                    end.get("dflockd_http_request_duration_seconds_count{method=\"GET\",path=\"/metrics\",status=\"200\"}"));
        }
    }

    @Test
    void httpSessionsGaugeFollowsSessionsCreatedAndDeleted() throws Exception {
        try (DflockdServer s = start(b -> b)) {
            assertThat(metrics(s)).containsEntry("dflockd_http_sessions", 0.0)
                    .doesNotContainKey("dflockd_raft_term"); // standalone: no raft metrics
            String base = "http://127.0.0.1:" + s.httpPort() + "/v1/sessions";
            Pattern id = Pattern.compile("\"session_id\":\"([0-9a-f]{32})\"");
            String[] ids = new String[3];
            for (int i = 0; i < ids.length; i++) {
                Matcher m = id.matcher(send(HTTP, "POST", base).body());
                assertThat(m.find()).isTrue();
                ids[i] = m.group(1);
            }
            try (RawPeer tcp = new RawPeer(s.port())) {
                assertThat(tcp.call("l", "k", "0")).startsWith("ok ");
                assertThat(metrics(s)).containsEntry("dflockd_http_sessions", 3.0)
                        .containsEntry("dflockd_connections", 4.0);
                assertThat(send(HTTP, "DELETE", base + "/" + ids[0]).statusCode()).isEqualTo(204);
                assertThat(send(HTTP, "DELETE", base + "/" + ids[1]).statusCode()).isEqualTo(204);
                assertThat(metrics(s)).containsEntry("dflockd_http_sessions", 1.0)
                        .containsEntry("dflockd_connections", 2.0);
            }
            assertThat(send(HTTP, "DELETE", base + "/" + ids[2]).statusCode()).isEqualTo(204);
            assertThat(metrics(s)).containsEntry("dflockd_http_sessions", 0.0);
        }
    }

    @Test
    void signalCountersAndAuthFailures() throws Exception {
        try (DflockdServer s = start(b -> b.authToken("sesame"))) {
            assertThat(get(s, "/health").statusCode()).as("probes need no token").isEqualTo(200);
            HttpResponse<String> denied = get(s, "/metrics");
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.body()).startsWith("{\"error\":\"unauthorized\",");
            assertThat(denied.headers().firstValue("www-authenticate")).hasValue("Bearer");
            assertThat(get(s, "/nope").statusCode()).as("no path listing without the token").isEqualTo(401);
            assertThat(get(s, "/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            try (RawPeer bad = new RawPeer(s.port())) {
                assertThat(bad.call("auth", "_", "wrong")).isEqualTo("error_auth");
            }
            try (RawPeer sub = new RawPeer(s.port()); RawPeer pub = new RawPeer(s.port())) {
                assertThat(sub.call("auth", "_", "sesame")).isEqualTo("ok");
                assertThat(pub.call("auth", "_", "sesame")).isEqualTo("ok");
                assertThat(sub.call("listen", "news.*", "")).isEqualTo("ok");
                assertThat(pub.call("signal", "news.a", "hello")).isEqualTo("ok 1");
                assertThat(pub.call("signal", "nobody", "hello")).isEqualTo("ok 0");
                Map<String, Double> m = parse(get(s, "/metrics", "Authorization", "bearer sesame").body());
                assertThat(m).containsEntry("dflockd_signals_published_total", 2.0)
                        .containsEntry("dflockd_signal_deliveries_total", 1.0)
                        .containsEntry("dflockd_signal_drops_total", 0.0)
                        .containsEntry("dflockd_signal_listeners", 1.0)
                        .containsEntry("dflockd_auth_failures_total{listener=\"tcp\"}", 1.0)
                        .containsEntry("dflockd_auth_failures_total{listener=\"http\"}", 3.0);
            }
        }
    }

    @Test
    void theHttpPortSpeaksTlsWhenTheServerDoes(@TempDir Path dir) throws Exception {
        TestCerts certs = TestCerts.newCa();
        KeyPair keys = TestCerts.rsa();
        TestCerts.writeCert(dir.resolve("server.crt"), certs.issue("localhost", keys));
        TestCerts.writeKey(dir.resolve("server.key"), keys.getPrivate(), KeyFormat.PKCS8);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certs.ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient tls = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        try (DflockdServer s = start(b -> b.tlsCert(dir.resolve("server.crt")).tlsKey(dir.resolve("server.key")))) {
            HttpResponse<String> health = send(tls, "GET", "https://127.0.0.1:" + s.httpPort() + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}\n");
            assertThat(send(tls, "GET", "https://127.0.0.1:" + s.httpPort() + "/metrics").statusCode())
                    .isEqualTo(200);
            // plain HTTP on the TLS port gets no answer
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(s, "/health")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void theHttpPortIsOffByDefault() throws Exception {
        try (DflockdServer s = DflockdServer.start(ServerConfig.builder().port(0).build())) {
            assertThat(s.httpPort()).isZero();
            assertThat(s.httpAddress()).isNull();
        }
    }
}
