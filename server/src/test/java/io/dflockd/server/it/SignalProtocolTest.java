package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** listen / unlisten / signal over real TCP (PROTOCOL.md §9). */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class SignalProtocolTest {
    private ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(b -> b.maxSubscriptions(3));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void wildcardDeliveryWithSpacesAndUtf8Payload() throws Exception {
        try (RawPeer sub = fx.connect(); RawPeer pub = fx.connect()) {
            assertThat(sub.call("listen", "events.>", "")).isEqualTo("ok");
            assertThat(pub.call("signal", "events.user.login", "alice logged in — ✓")).isEqualTo("ok 1");
            assertThat(sub.line()).isEqualTo("sig events.user.login alice logged in — ✓");
            assertThat(pub.call("signal", "events", "x")).isEqualTo("ok 0");
            assertThat(pub.call("signal", "other.thing", "x")).isEqualTo("ok 0");
        }
    }

    @Test
    void queueGroupRoundRobinsAndCountsOnce() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect(); RawPeer plain = fx.connect(); RawPeer pub = fx.connect()) {
            assertThat(a.call("listen", "jobs.>", "workers")).isEqualTo("ok");
            assertThat(b.call("listen", "jobs.>", "  workers ")).isEqualTo("ok");
            assertThat(plain.call("listen", "jobs.*", "")).isEqualTo("ok");
            for (int i = 0; i < 4; i++) {
                assertThat(pub.call("signal", "jobs.build", "n" + i)).isEqualTo("ok 2");
            }
            assertThat(List.of(a.line(), a.line())).containsExactly("sig jobs.build n0", "sig jobs.build n2");
            assertThat(List.of(b.line(), b.line())).containsExactly("sig jobs.build n1", "sig jobs.build n3");
            for (int i = 0; i < 4; i++) {
                assertThat(plain.line()).isEqualTo("sig jobs.build n" + i);
            }
            JsonNode channels = fx.stats().get("signal_channels");
            assertThat(channels).hasSize(2);
            for (JsonNode c : channels) {
                if (c.has("group")) {
                    assertThat(c.get("pattern").asText()).isEqualTo("jobs.>");
                    assertThat(c.get("group").asText()).isEqualTo("workers");
                    assertThat(c.get("listeners").asInt()).isEqualTo(2);
                } else {
                    assertThat(c.get("pattern").asText()).isEqualTo("jobs.*");
                    assertThat(c.get("listeners").asInt()).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void invalidInputAnswersError() throws Exception {
        try (RawPeer w = fx.connect()) {
            assertThat(w.call("listen", "fo*", "")).isEqualTo("error");
            assertThat(w.call("listen", "a.>.b", "")).isEqualTo("error");
            assertThat(w.call("unlisten", "a>", "")).isEqualTo("error");
            assertThat(w.call("signal", "a.*", "x")).isEqualTo("error");
            assertThat(w.call("signal", "a.b", "   ")).isEqualTo("error");
            assertThat(w.call("signal", "a b", "x")).isEqualTo("error");
            String channel = "c".repeat(10);
            assertThat(w.call("signal", channel, "p".repeat(65_531 - 10 + 1))).isEqualTo("error");
            assertThat(w.call("signal", channel, "p".repeat(65_531 - 10))).isEqualTo("ok 0");
            assertThat(w.call("ping", "_", "_")).isEqualTo("ok");
        }
    }

    @Test
    void subscriptionCapIgnoresDuplicates() throws Exception {
        try (RawPeer w = fx.connect()) {
            assertThat(w.call("listen", "a", "")).isEqualTo("ok");
            assertThat(w.call("listen", "a", "")).isEqualTo("ok");
            assertThat(w.call("listen", "b", "")).isEqualTo("ok");
            assertThat(w.call("listen", "c", "g")).isEqualTo("ok");
            assertThat(w.call("listen", "d", "")).isEqualTo("error");
            assertThat(w.call("unlisten", "a", "")).isEqualTo("ok");
            assertThat(w.call("unlisten", "never", "")).isEqualTo("ok");
            assertThat(w.call("listen", "d", "")).isEqualTo("ok");
        }
    }

    @Test
    void disconnectRemovesSubscriptions() throws Exception {
        try (RawPeer w = fx.connect()) {
            w.call("listen", "a.*", "g");
            w.call("listen", "a.b", "");
            assertThat(fx.stats().get("signal_channels")).hasSize(2);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.stats().get("signal_channels").isEmpty());
    }

    @Test
    void pushesInterleaveSafelyWithLockReplies() throws Exception {
        try (RawPeer w = fx.connect(); RawPeer pub = fx.connect()) {
            w.call("listen", "t", "");
            pub.call("signal", "t", "one");
            w.send("l", "k", "5");
            List<String> lines = new ArrayList<>(List.of(w.line(), w.line()));
            assertThat(lines).anyMatch(l -> l.equals("sig t one"));
            assertThat(lines).anyMatch(l -> l.matches("ok [0-9a-f]{32} 33"));
            // Own signal: the push may come before or after the count.
            w.send("signal", "t", "self");
            assertThat(List.of(w.line(), w.line())).containsExactlyInAnyOrder("ok 1", "sig t self");
        }
    }

    @Test
    void pingKeepsAnIdleListenerAlivePastTheReadTimeout() throws Exception {
        fx.close();
        fx = new ServerFixture(b -> b.readTimeoutSeconds(3));
        try (RawPeer w = fx.connect(); RawPeer pub = fx.connect()) {
            w.call("listen", "t", "");
            for (int i = 0; i < 14; i++) {
                // 7 s in all, over twice the read timeout, with a ping every 500 ms: a gap of 3 s would
                // close the connection, so this leaves 2.5 s for a late wake-up on a loaded machine
                // (1.5 s was not enough once, with a dozen JVMs on 2 cores)
                Thread.sleep(500);
                assertThat(w.call("ping", "_", "_")).isEqualTo("ok");
                assertThat(pub.call("ping", "_", "_")).isEqualTo("ok");
            }
            assertThat(pub.call("signal", "t", "still here")).isEqualTo("ok 1");
            assertThat(w.line()).isEqualTo("sig t still here");
        }
    }

    @Test
    void slowConsumerIsEvictedWhileAFastListenerKeepsReceiving() throws Exception {
        Socket raw = new Socket();
        raw.setReceiveBufferSize(4096);
        raw.connect(new InetSocketAddress("127.0.0.1", fx.port()));
        try (RawPeer slow = new RawPeer(raw); RawPeer fast = fx.connect(); RawPeer pub = fx.connect()) {
            assertThat(slow.call("listen", "bulk", "")).isEqualTo("ok");
            assertThat(fast.call("listen", "bulk", "")).isEqualTo("ok");
            String payload = "x".repeat(60_000);
            int lastCount = 2;
            for (int i = 0; i < 400 && lastCount == 2; i++) {
                lastCount = Integer.parseInt(pub.call("signal", "bulk", payload).substring(3));
                assertThat(fast.line()).hasSize(60_000 + "sig bulk ".length());
            }
            assertThat(lastCount).as("the stuck listener stopped counting").isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                JsonNode st = fx.stats();
                return st.get("signal_channels").get(0).get("listeners").asInt() == 1;
            });
            assertThat(pub.call("signal", "bulk", "after")).isEqualTo("ok 1");
            assertThat(fast.line()).isEqualTo("sig bulk after");
        }
    }

    @Test
    void payloadBytesArePreservedExactly() throws Exception {
        try (RawPeer sub = fx.connect(); RawPeer pub = fx.connect()) {
            sub.call("listen", "b", "");
            byte[] req = {'s', 'i', 'g', 'n', 'a', 'l', '\n', 'b', '\n', 'a', ' ', (byte) 0xff, '\t', 'z', '\n'};
            pub.raw(req);
            assertThat(pub.line()).isEqualTo("ok 1");
            byte[] expected = {'s', 'i', 'g', ' ', 'b', ' ', 'a', ' ', (byte) 0xff, '\t', 'z'};
            assertThat(sub.lineBytes()).isEqualTo(expected);
        }
    }
}
