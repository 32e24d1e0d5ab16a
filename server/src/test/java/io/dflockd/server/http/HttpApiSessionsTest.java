package io.dflockd.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.server.http.ApiClient.Res;
import io.dflockd.server.it.RawPeer;
import io.dflockd.server.lock.ResourceSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Sessions next to TCP clients on a real server: one FIFO, expiry, long-polls whose client goes away. */
@Tag("integration")
class HttpApiSessionsTest extends RealServerTest {
    private ResourceSnapshot state(String key) {
        return server.locks().snapshot().stream().filter(r -> r.key().equals(key)).findFirst()
                .orElse(new ResourceSnapshot(key, 1, 0, 0, 0, 0, 0));
    }

    /** A long-poll on a raw socket, so that the test decides when its client goes away. */
    private Socket rawPoll(String session, String key) throws IOException {
        String body = "{\"acquire_timeout_s\":30}";
        Socket socket = new Socket("127.0.0.1", server.httpPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/locks/" + key + " HTTP/1.1\r\nHost: x\r\nX-Dflockd-Session: " + session
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void aTcpHolderAndAnHttpWaiterQueueInOneFifo() throws Exception {
        start(b -> b);
        String s = api.session();
        try (RawPeer first = new RawPeer(server.port()); RawPeer third = new RawPeer(server.port())) {
            String t1 = first.call("l", "fifo", "0").split(" ")[1];
            CompletableFuture<Res> second = api.callAsync("POST", "/v1/locks/fifo", s, "{\"acquire_timeout_s\":30}");
            await().atMost(Duration.ofSeconds(10)).until(() -> state("fifo").waiters() == 1);
            third.send("l", "fifo", "30");
            await().atMost(Duration.ofSeconds(10)).until(() -> state("fifo").waiters() == 2);
            assertThat(first.call("r", "fifo", t1)).isEqualTo("ok");
            Res granted = second.get();
            assertThat(granted.json().get("status").asText()).as("the HTTP waiter came second").isEqualTo("ok");
            assertThat(state("fifo").waiters()).as("the TCP waiter still queues").isEqualTo(1);
            String t2 = granted.json().get("token").asText();
            assertThat(api.post("/v1/locks/fifo/release", s, "{\"token\":\"" + t2 + "\"}").status()).isEqualTo(204);
            String third2 = third.line();
            assertThat(third2).startsWith("ok ");
            assertThat(third2.split(" ")[1]).as("fences increase in grant order").isGreaterThan(t2);
        }
    }

    @Test
    void aLongPollWhoseClientGoesAwayLeavesTheQueue() throws Exception {
        start(b -> b);
        String s = api.session();
        try (RawPeer holder = new RawPeer(server.port())) {
            holder.call("l", "gone", "0");
            Socket poll = rawPoll(s, "gone");
            await().atMost(Duration.ofSeconds(10)).until(() -> state("gone").waiters() == 1);
            poll.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> state("gone").waiters() == 0);
            assertThat(api.post("/v1/sessions/" + s + "/ping", null, null).status()).isEqualTo(204);
        }
    }

    @Test
    void aGrantToALongPollWhoseClientWentAwayIsGivenBack() throws Exception {
        start(b -> b);
        String s = api.session();
        for (int round = 0; round < 20; round++) {
            String key = "race-" + round;
            try (RawPeer holder = new RawPeer(server.port())) {
                String token = holder.call("l", key, "0 60").split(" ")[1];
                Socket poll = rawPoll(s, key);
                await().atMost(Duration.ofSeconds(10)).until(() -> state(key).waiters() == 1);
                // the release and the client's going away race: whichever wins, nothing stays held
                poll.close();
                assertThat(holder.call("r", key, token)).isEqualTo("ok");
                await().atMost(Duration.ofSeconds(10)).until(() -> state(key).holders() == 0);
                assertThat(holder.call("l", key, "0")).startsWith("ok ");
            }
        }
    }

    @Test
    void anIdleSessionExpiresAndItsLocksAreReleased() throws Exception {
        start(b -> b.httpApi(HttpApiSettings.DEFAULTS.withSessionIdleTimeoutSeconds(1)));
        Res created = api.post("/v1/sessions", null, null);
        assertThat(created.json().get("idle_timeout_s").asInt()).isEqualTo(1);
        String s = created.json().get("session_id").asText();
        assertThat(api.post("/v1/locks/idle", s, "{\"acquire_timeout_s\":0,\"lease_ttl_s\":3600}").status()).isEqualTo(200);
        try (RawPeer tcp = new RawPeer(server.port())) {
            assertThat(tcp.call("l", "idle", "0")).isEqualTo("timeout");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> state("idle").holders() == 0);
            assertThat(tcp.call("l", "idle", "0")).startsWith("ok ");
        }
        assertThat(api.post("/v1/sessions/" + s + "/ping", null, null).error()).isEqualTo("session_gone");
    }

    @Test
    void withAnAuthTokenEveryApiPathButTheDocumentNeedsIt() throws Exception {
        start(b -> b.authToken("s3cret"));
        Res denied = api.post("/v1/sessions", null, null);
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.error()).isEqualTo("unauthorized");
        assertThat(api.call("GET", "/v1/stats", null, null).status()).isEqualTo(401);
        assertThat(api.post("/v1/locks/k", "0".repeat(32), "{}").status()).isEqualTo(401);
        assertThat(api.call("GET", "/v1/openapi.json", null, null).status()).isEqualTo(200);
        ApiClient authed = new ApiClient(server, "Authorization", "Bearer s3cret");
        String s = authed.session();
        assertThat(authed.post("/v1/locks/k", s, "{\"acquire_timeout_s\":0}").status()).isEqualTo(200);
    }

    @Test
    void corsHeadersOnlyWhenEnabled() throws Exception {
        start(b -> b);
        Res plain = api.call("GET", "/v1/stats", null, null, "Origin", "https://app.example");
        assertThat(plain.headers().firstValue("access-control-allow-origin")).isEmpty();
        server.close();
        start(b -> b.authToken("t").httpApi(HttpApiSettings.DEFAULTS.withCorsAllowedOrigins(List.of("https://app.example"))));
        Res preflight = api.call("OPTIONS", "/v1/sessions", null, null, "Origin", "https://app.example",
                "Access-Control-Request-Method", "POST");
        assertThat(preflight.status()).as("answered before auth").isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
        assertThat(preflight.headers().firstValue("access-control-allow-headers"))
                .hasValue("Authorization, Content-Type, X-Dflockd-Session");
        assertThat(preflight.headers().firstValue("vary")).hasValue("Origin");
        Res denied = api.call("POST", "/v1/sessions", null, null, "Origin", "https://app.example");
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
        Res stranger = api.call("GET", "/health", null, null, "Origin", "https://evil.example");
        assertThat(stranger.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void thePerIpRateLimitAnswers429AndSparesTheProbes() throws Exception {
        start(b -> b.httpApi(HttpApiSettings.DEFAULTS.withRateLimit(1, 3)));
        for (int i = 0; i < 3; i++) {
            assertThat(api.call("GET", "/v1/stats", null, null).status()).isEqualTo(200);
        }
        Res limited = api.call("GET", "/v1/stats", null, null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.error()).isEqualTo("rate_limited");
        assertThat(api.call("GET", "/health", null, null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> api.call("GET", "/v1/stats", null, null).status() == 200);
    }
}
