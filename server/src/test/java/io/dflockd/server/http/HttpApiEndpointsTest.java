package io.dflockd.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.server.http.ApiClient.Res;
import io.dflockd.server.it.RawPeer;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every endpoint of the session API and every code of its error table, on a real server. */
@Tag("integration")
class HttpApiEndpointsTest extends RealServerTest {
    private static void assertError(Res r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.error()).as(r.body()).isEqualTo(code);
        assertThat(r.json().path("detail").asText()).isNotEmpty();
    }

    @Test
    void sessionsAreCreatedPingedAndDeleted() throws Exception {
        start(b -> b);
        Res created = api.post("/v1/sessions", null, null);
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("session_id").asText()).matches("[0-9a-f]{32}");
        assertThat(created.json().get("idle_timeout_s").asInt()).isEqualTo(20);
        String id = created.json().get("session_id").asText();
        Res ping = api.post("/v1/sessions/" + id + "/ping", null, null);
        assertThat(ping.status()).isEqualTo(204);
        assertThat(ping.body()).isEmpty();
        assertThat(api.post("/v1/locks/held-by-deleted", id, "{\"acquire_timeout_s\":0}").status()).isEqualTo(200);
        assertThat(api.call("DELETE", "/v1/sessions/" + id, null, null).status()).isEqualTo(204);
        try (RawPeer tcp = new RawPeer(server.port())) {
            assertThat(tcp.call("l", "held-by-deleted", "0")).as("DELETE released it").startsWith("ok ");
        }
        assertError(api.call("DELETE", "/v1/sessions/" + id, null, null), 410, "session_gone");
        assertError(api.post("/v1/sessions/" + id + "/ping", null, null), 410, "session_gone");
        assertError(api.post("/v1/sessions/NOT-AN-ID/ping", null, null), 400, "bad_request");
        assertError(api.call("GET", "/v1/sessions", null, null), 405, "method_not_allowed");
    }

    @Test
    void locksAreAcquiredRenewedAndReleased() throws Exception {
        start(b -> b);
        String s = api.session();
        Res got = api.post("/v1/locks/k1", s, "{\"acquire_timeout_s\":0,\"lease_ttl_s\":40}");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("status").asText()).isEqualTo("ok");
        assertThat(got.json().get("lease_ttl_s").asInt()).isEqualTo(40);
        String token = got.json().get("token").asText();
        assertThat(token).matches("[0-9a-f]{32}");
        String other = api.session();
        assertThat(api.post("/v1/locks/k1", other, "{\"acquire_timeout_s\":0}").body()).isEqualTo("{\"status\":\"timeout\"}\n");
        Res renewed = api.post("/v1/locks/k1/renew", s, "{\"token\":\"" + token + "\",\"lease_ttl_s\":90}");
        assertThat(renewed.body()).isEqualTo("{\"remaining_s\":90}\n");
        assertThat(api.post("/v1/locks/k1/renew", s, "{\"token\":\"" + token + "\"}").json().get("remaining_s").asInt())
                .as("the server default").isEqualTo(33);
        Res released = api.post("/v1/locks/k1/release", other, "{\"token\":\"" + token + "\"}");
        assertThat(released.status()).as("any session holding the token may release, as on TCP").isEqualTo(204);
        assertError(api.post("/v1/locks/k1/release", s, "{\"token\":\"" + token + "\"}"), 404, "not_held");
        assertError(api.post("/v1/locks/k1/renew", s, "{\"token\":\"" + token + "\"}"), 404, "not_held");
    }

    @Test
    void semaphoresAndTwoPhaseAcquires() throws Exception {
        start(b -> b);
        String s = api.session();
        String sem = "{\"acquire_timeout_s\":0,\"limit\":2}";
        String t1 = api.post("/v1/semaphores/pool", s, sem).json().get("token").asText();
        assertThat(api.post("/v1/semaphores/pool", s, sem).json().get("status").asText()).isEqualTo("ok");
        assertThat(api.post("/v1/semaphores/pool", s, sem).json().get("status").asText()).isEqualTo("timeout");
        assertError(api.post("/v1/semaphores/pool", s, "{\"acquire_timeout_s\":0,\"limit\":3}"), 409, "limit_mismatch");
        assertError(api.post("/v1/locks/pool", s, "{\"acquire_timeout_s\":0}"), 409, "limit_mismatch");
        try (RawPeer tcp = new RawPeer(server.port())) {
            assertThat(tcp.call("rl", "rw", "0")).startsWith("ok ");
        }
        assertError(api.post("/v1/locks/rw", s, "{\"acquire_timeout_s\":0}"), 409, "type_mismatch");
        assertError(api.post("/v1/semaphores/rw/enqueue", s, "{\"limit\":2}"), 409, "type_mismatch");
        assertThat(api.post("/v1/semaphores/pool/renew", s, "{\"token\":\"" + t1 + "\"}").status()).isEqualTo(200);
        assertThat(api.post("/v1/semaphores/pool/release", s, "{\"token\":\"" + t1 + "\"}").status()).isEqualTo(204);
        Res acquired = api.post("/v1/semaphores/pool/enqueue", s, "{\"limit\":2,\"lease_ttl_s\":50}");
        assertThat(acquired.json().get("status").asText()).isEqualTo("acquired");
        assertThat(acquired.json().get("lease_ttl_s").asInt()).isEqualTo(50);
        assertError(api.post("/v1/semaphores/pool/enqueue", s, "{\"limit\":2}"), 409, "already_enqueued");
        assertThat(api.post("/v1/semaphores/pool/wait", s, "{\"timeout_s\":0}").json().get("status").asText())
                .as("collects the grant of the enqueue").isEqualTo("ok");

        String holder = api.session();
        String waiter = api.session();
        String ht = api.post("/v1/locks/two", holder, "{\"acquire_timeout_s\":0}").json().get("token").asText();
        assertError(api.post("/v1/locks/two/wait", waiter, "{\"timeout_s\":1}"), 409, "not_enqueued");
        assertThat(api.post("/v1/locks/two/enqueue", waiter, null).body()).isEqualTo("{\"status\":\"queued\"}\n");
        var waiting = api.callAsync("POST", "/v1/locks/two/wait", waiter, "{\"timeout_s\":30}");
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters("two") == 1 && server.locks().snapshot().stream()
                .anyMatch(r -> r.key().equals("two") && r.waiters() == 1));
        api.post("/v1/locks/two/release", holder, "{\"token\":\"" + ht + "\"}");
        Res granted = waiting.get();
        assertThat(granted.json().get("status").asText()).isEqualTo("ok");
        assertThat(granted.json().get("token").asText()).isNotEqualTo(ht);
    }

    private long waiters(String key) {
        return server.locks().snapshot().stream().filter(r -> r.key().equals(key)).mapToInt(r -> r.waiters()).sum();
    }

    @Test
    void malformedRequestsAre400AndUnknownSessions410() throws Exception {
        start(b -> b);
        String s = api.session();
        assertError(api.post("/v1/locks/k", null, "{\"acquire_timeout_s\":0}"), 400, "bad_request");
        assertError(api.post("/v1/locks/k", "abc", "{\"acquire_timeout_s\":0}"), 400, "bad_request");
        assertError(api.post("/v1/locks/k", "0".repeat(32), "{\"acquire_timeout_s\":0}"), 410, "session_gone");
        for (String body : new String[] {"", "not json", "[1]", "{\"acquire_timeout_s\":0,\"extra\":1}", "{}",
            "{\"acquire_timeout_s\":-1}", "{\"acquire_timeout_s\":1.5}", "{\"acquire_timeout_s\":\"1\"}",
            "{\"acquire_timeout_s\":9223372037}", "{\"acquire_timeout_s\":0,\"lease_ttl_s\":9223372037}"}) {
            assertError(api.post("/v1/locks/k", s, body), 400, "bad_request");
        }
        assertError(api.post("/v1/locks/a%20b", s, "{\"acquire_timeout_s\":0}"), 400, "bad_request");
        assertError(api.post("/v1/locks/" + "x".repeat(257), s, "{\"acquire_timeout_s\":0}"), 400, "bad_request");
        assertThat(api.post("/v1/locks/" + "x".repeat(256), s, "{\"acquire_timeout_s\":0}").status()).isEqualTo(200);
        assertThat(api.post("/v1/locks/a%2Fb%C3%A9", s, "{\"acquire_timeout_s\":0}").status()).isEqualTo(200);
        assertThat(server.locks().snapshot()).anyMatch(r -> r.key().equals(
                new String("a/bé".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertError(api.post("/v1/semaphores/s", s, "{\"acquire_timeout_s\":0,\"limit\":0}"), 400, "bad_request");
        assertError(api.post("/v1/semaphores/s/enqueue", s, "{}"), 400, "bad_request");
        assertError(api.post("/v1/locks/k/release", s, "{\"token\":\"\"}"), 400, "bad_request");
        assertError(api.post("/v1/locks/k/release", s, "{\"token\":\"a b\"}"), 400, "bad_request");
        assertError(api.post("/v1/locks/k/wait", s, "{}"), 400, "bad_request");
        assertError(api.call("GET", "/v1/locks/k", s, null), 405, "method_not_allowed");
        assertError(api.post("/v1/locks/k/unknown", s, "{}"), 404, "not_found");
        assertError(api.post("/v1/locks//release", s, "{}"), 404, "not_found");
    }

    @Test
    void capsAre503() throws Exception {
        start(b -> b.maxLocks(1).maxWaiters(1).httpApi(HttpApiSettings.DEFAULTS.withSessionCaps(3, 0)));
        String a = api.session();
        String b = api.session();
        String c = api.session();
        assertError(api.post("/v1/sessions", null, null), 503, "max_sessions");
        assertThat(api.post("/v1/locks/only", a, "{\"acquire_timeout_s\":0}").status()).isEqualTo(200);
        assertError(api.post("/v1/locks/second", a, "{\"acquire_timeout_s\":0}"), 503, "max_locks");
        assertThat(api.post("/v1/locks/only/enqueue", b, null).json().get("status").asText()).isEqualTo("queued");
        assertError(api.post("/v1/locks/only/enqueue", c, null), 503, "max_waiters");
        assertThat(api.call("DELETE", "/v1/sessions/" + c, null, null).status()).isEqualTo(204);

    }

    @Test
    void drainingIs503ForNewSessionsAndAcquiresButNotForReleases() throws Exception {
        start(b -> b);
        String s = api.session();
        String token = api.post("/v1/locks/mine", s, "{\"acquire_timeout_s\":0}").json().get("token").asText();
        try (RawPeer holder = new RawPeer(server.port())) {
            assertThat(holder.call("l", "drain-hold", "0")).startsWith("ok ");
            Thread drain = new Thread(() -> server.shutdownGracefully(Duration.ofSeconds(30)), "test-drain");
            drain.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> api.call("GET", "/ready", null, null).status() == 503);
            assertError(api.post("/v1/sessions", null, null), 503, "draining");
            assertError(api.post("/v1/locks/other", s, "{\"acquire_timeout_s\":5}"), 503, "draining");
            assertError(api.post("/v1/locks/mine/enqueue", s, null), 503, "draining");
            assertThat(api.post("/v1/locks/mine/release", s, "{\"token\":\"" + token + "\"}").status()).isEqualTo(204);
            holder.close();
            drain.join(10_000);
        }
    }

    @Test
    void sessionsPerIpAreCapped() throws Exception {
        start(b -> b.httpApi(HttpApiSettings.DEFAULTS.withSessionCaps(0, 2)));
        api.session();
        api.session();
        assertError(api.post("/v1/sessions", null, null), 503, "max_sessions_per_ip");
    }

    @Test
    void statsAreTheTcpStatsAndCountSessionsAsConnections() throws Exception {
        start(b -> b);
        String s = api.session();
        api.post("/v1/locks/seen", s, "{\"acquire_timeout_s\":0}");
        try (RawPeer tcp = new RawPeer(server.port())) {
            String tcpStats = tcp.call("stats", "_", "");
            Res http = api.call("GET", "/v1/stats", null, null);
            assertThat(http.status()).isEqualTo(200);
            assertThat(http.json().get("connections").asInt()).as("one TCP connection, one session").isEqualTo(2);
            assertThat(http.json().get("locks").get(0).get("key").asText()).isEqualTo("seen");
            assertThat(ApiClient.JSON.readTree(tcpStats.substring(tcpStats.indexOf('{'))).get("connections").asInt())
                    .isEqualTo(2);
        }
    }
}
