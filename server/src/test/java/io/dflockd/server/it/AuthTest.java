package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The auth handshake (PROTOCOL.md §4). */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class AuthTest {
    private static final String TOKEN = "s3cret-" + "t".repeat(1000);
    private ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(b -> b.authToken(TOKEN));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private RawPeer authed() throws Exception {
        RawPeer w = fx.connect();
        assertThat(w.call("auth", "_", TOKEN)).isEqualTo("ok");
        return w;
    }

    @Test
    void rightTokenUnlocksEveryCommand() throws Exception {
        try (RawPeer w = authed()) {
            assertThat(w.call("l", "k", "5")).startsWith("ok ");
            assertThat(w.call("ping", "_", "_")).isEqualTo("ok");
            assertThat(w.call("stats", "_", "_")).startsWith("ok {");
            assertThat(w.call("auth", "_", TOKEN)).as("a second auth").isEqualTo("error");
        }
    }

    @Test
    void tokenIsTrimmedBeforeComparison() throws Exception {
        try (RawPeer w = fx.connect()) {
            assertThat(w.call("auth", "_", "  " + TOKEN + " \t")).isEqualTo("ok");
        }
    }

    @Test
    void wrongTokenIsRefusedAfterABrakeAndClosed() throws Exception {
        try (RawPeer w = fx.connect()) {
            long start = System.nanoTime();
            assertThat(w.call("auth", "_", TOKEN + "x")).isEqualTo("error_auth");
            assertThat(w.closedByServer()).isTrue();
            assertThat(System.nanoTime() - start).as("brute-force brake").isGreaterThanOrEqualTo(
                    Duration.ofMillis(90).toNanos());
        }
    }

    @Test
    void anyOtherFirstCommandIsRefused() throws Exception {
        try (RawPeer w = fx.connect()) {
            assertThat(w.call("ping", "_", "_")).isEqualTo("error_auth");
            assertThat(w.closedByServer()).isTrue();
        }
        try (RawPeer w = fx.connect()) {
            w.send("l", "k".repeat(300), "1");
            assertThat(w.line()).isEqualTo("error_auth");
            assertThat(w.closedByServer()).isTrue();
        }
    }

    @Test
    void nothingLeaksFromRefusedConnections() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (RawPeer w = fx.connect()) {
                w.call("l", "k", "5");
            }
        }
        try (RawPeer w = authed()) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
                String s = w.call("stats", "_", "_");
                return s.contains("\"connections\":1,\"locks\":[]");
            });
        }
    }
}
