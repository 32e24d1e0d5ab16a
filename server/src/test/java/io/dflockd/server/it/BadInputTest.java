package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile input (PROTOCOL.md §5, §11.2): the documented reply, the connection kept or
 * closed as documented, and nothing left behind in stats.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class BadInputTest {
    private ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture();
    }

    /**
     * For the tests of the read deadline: a 1 s deadline instead of the default 23 s. Only those
     * tests get it, because it also closes a connection that is idle for 1 s between requests,
     * which a slow CI machine can make any test's connection be.
     */
    private void withOneSecondReadTimeout() throws Exception {
        fx.close();
        fx = new ServerFixture(b -> b.readTimeoutSeconds(1));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** Each of these answers {@code error} and leaves the connection usable. */
    @ParameterizedTest(name = "{0} / {1} / {2}")
    @CsvSource(delimiter = '|', value = {
        "bogus | k | 1",
        "L | k | 1",
        "l | k | abc",
        "l | k | 1.5",
        "l | k | -1",
        "l | k | 9223372037",
        "l | k | 1 0",
        "l | k | 1 -5",
        "l | k | 1 2 3",
        "l | k | ''",
        "l | a b | 1",
        "sl | k | 1",
        "sl | k | 1 0",
        "sl | k | 1 x",
        "se | k | ''",
        "r | k | ''",
        "n | k | ''",
        "n | k | tok 0",
        "w | k | ''",
        "w | k | -1",
        "e | k | 0",
    })
    void parseErrorsKeepTheConnection(String cmd, String key, String arg) throws Exception {
        try (RawPeer w = fx.connect()) {
            assertThat(w.call(cmd, key, arg)).isEqualTo("error");
            assertThat(w.call("ping", "_", "_")).isEqualTo("ok");
        }
        assertThat(fx.stats().get("locks")).isEmpty();
    }

    @Test
    void emptyKeyAndTabInKeyAreRejected() throws Exception {
        try (RawPeer w = fx.connect()) {
            assertThat(w.call("l", "", "1")).isEqualTo("error");
            assertThat(w.call("l", "a\tb", "1")).isEqualTo("error");
            assertThat(w.call("ping", "_", "")).isEqualTo("ok");
        }
    }

    @Test
    void overlongLineGetsErrorThenClose() throws Exception {
        try (RawPeer w = fx.connect()) {
            w.send("l", "x".repeat(257), "1");
            assertThat(w.line()).isEqualTo("error");
            assertThat(w.closedByServer()).isTrue();
        }
        try (RawPeer w = fx.connect()) {
            // Exactly the cap is fine.
            assertThat(w.call("l", "x".repeat(256), "0")).startsWith("ok ");
        }
    }

    @Test
    void overlongLineWithoutNewlineIsDrainedUntilTheReadTimeout() throws Exception {
        withOneSecondReadTimeout();
        try (RawPeer w = fx.connect()) {
            w.raw("l\n".getBytes(StandardCharsets.US_ASCII));
            w.raw(new byte[100_000]);
            assertThat(w.line()).isEqualTo("error");
            assertThat(w.closedByServer()).isTrue();
        }
    }

    @Test
    void crlfLineEndingsAreTolerated() throws Exception {
        try (RawPeer w = fx.connect()) {
            w.raw("l\r\nk\r\n5\r\n".getBytes(StandardCharsets.US_ASCII));
            String grant = w.line();
            assertThat(grant).matches("ok [0-9a-f]{32} 33");
        }
        // the disconnect is processed asynchronously; then the key, named without the CR, is idle
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.stats().get("idle_locks").size() == 1);
        assertThat(fx.stats().get("idle_locks").get(0).get("key").asText()).isEqualTo("k");
    }

    @Test
    void keysAreByteExactEvenWhenNotUtf8() throws Exception {
        byte[] latin = {'l', '\n', 'k', (byte) 0xE9, '\n', '0', '\n'};
        byte[] utf8 = "l\nké\n0\n".getBytes(StandardCharsets.UTF_8);
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            a.raw(latin);
            assertThat(a.line()).startsWith("ok ");
            b.raw(utf8);
            assertThat(b.line()).as("different bytes, different key").startsWith("ok ");
            assertThat(b.call("l", "ké", "0")).isEqualTo("timeout");
        }
    }

    @Test
    void silentPeerIsClosedAfterTheReadTimeoutAndItsLockReleased() throws Exception {
        withOneSecondReadTimeout();
        try (RawPeer a = fx.connect()) {
            assertThat(a.call("l", "k", "5")).startsWith("ok ");
            assertThat(a.line()).isEqualTo("error");
            assertThat(a.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.stats().get("locks").isEmpty());
    }

    @Test
    void slowLorisLineIsCutOffEvenWhileBytesTrickle() throws Exception {
        withOneSecondReadTimeout();
        try (RawPeer a = fx.connect()) {
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        a.raw(new byte[] {'x'});
                        Thread.sleep(100);
                    }
                } catch (Exception closed) {
                    // expected once the server gives up on the line
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            // A byte every 100 ms never completes the line: the 1 s per-line deadline still fires.
            assertThat(a.line()).isEqualTo("error");
            assertThat(a.closedByServer()).isTrue();
            trickle.interrupt();
        }
    }

    @Test
    void peerVanishingMidRequestLeavesNothingBehind() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            a.call("l", "k", "5");
            b.send("l", "k", "30");
            b.raw("l\nk".getBytes(StandardCharsets.US_ASCII));
            b.close();
            a.close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            var s = fx.stats();
            return s.get("connections").asInt() == 1 && s.get("locks").isEmpty();
        });
    }

    @Test
    void pipeliningBehindABlockingCallIsAbuse() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            a.call("l", "k", "5");
            b.send("l", "k", "30");
            StringBuilder junk = new StringBuilder();
            while (junk.length() < 5000) {
                junk.append("ping\n_\n_\n");
            }
            b.raw(junk.toString().getBytes(StandardCharsets.US_ASCII));
            assertThat(b.closedByServer()).isTrue();
        }
    }

    @Test
    void authWithoutAConfiguredTokenIsAnErrorButKeepsTheConnection() throws Exception {
        try (RawPeer w = fx.connect()) {
            assertThat(w.call("auth", "_", "secret")).isEqualTo("error");
            assertThat(w.call("ping", "_", "_")).isEqualTo("ok");
        }
    }
}
