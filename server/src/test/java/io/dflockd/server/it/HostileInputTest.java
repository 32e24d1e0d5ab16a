package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile-input classes not covered by {@link BadInputTest}, {@link AuthTest} and {@link LimitsTest}
 * (the bad-input table in docs/RELIABILITY.md maps every class to its test).
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class HostileInputTest {
    @Test
    void numbersFollowGoStrconvSemantics() throws Exception {
        try (ServerFixture fx = new ServerFixture(); RawPeer w = fx.connect()) {
            assertThat(w.call("l", "plus", "+0")).as("leading +").startsWith("ok ");
            assertThat(w.call("l", "spaces", "  0 \t ")).as("surrounding whitespace").startsWith("ok ");
            assertThat(w.call("l", "k", "99999999999999999999")).as("beyond 64 bits").isEqualTo("error");
            assertThat(w.call("l", "k", "-9223372036854775809")).isEqualTo("error");
            assertThat(w.call("l", "k", "0x10")).isEqualTo("error");
            assertThat(w.call("l", "k", "1e3")).isEqualTo("error");
            assertThat(w.call("l", "k", "--1")).isEqualTo("error");
            assertThat(w.call("l", "k", "0 +")).isEqualTo("error");
            // An Arabic-Indic digit one (U+0661) is a digit to Character.digit, but not on the wire.
            assertThat(w.call("l", "k", "\u0661")).isEqualTo("error");
            assertThat(w.call("sl", "s", "0 9999999999")).as("limit beyond int").isEqualTo("error");
            assertThat(w.call("ping", "_", "_")).isEqualTo("ok");
        }
    }

    @Test
    void nulAndControlBytesInKeysAreOrdinaryBytes() throws Exception {
        try (ServerFixture fx = new ServerFixture(); RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            // Upstream forbids only space, TAB, CR and LF in keys; NUL is a byte like any other.
            a.raw("l\nk\0x\n0\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(a.line()).startsWith("ok ");
            b.raw("l\nk\0y\n0\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(b.line()).as("a different key").startsWith("ok ");
            b.raw("l\nk\0x\n0\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(b.line()).as("the same key").isEqualTo("timeout");
            b.raw("l\nk\u0001\u007f\n0\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(b.line()).startsWith("ok ");
        }
    }

    @Test
    void invalidUtf8InEveryLineIsHandledByteExact() throws Exception {
        try (ServerFixture fx = new ServerFixture(); RawPeer w = fx.connect()) {
            byte[] badCommand = {(byte) 0xc3, (byte) 0x28, '\n', 'k', '\n', '0', '\n'};
            assertThat(w.raw(badCommand).line()).isEqualTo("error");
            byte[] badArg = {'l', '\n', 'k', '\n', (byte) 0xff, (byte) 0xfe, '\n'};
            assertThat(w.raw(badArg).line()).isEqualTo("error");
            byte[] badToken = {'r', '\n', 'k', '\n', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '\n'};
            assertThat(w.raw(badToken).line()).isEqualTo("error");
            assertThat(w.call("ping", "_", "_")).isEqualTo("ok");
        }
    }

    @Test
    void signalLineBeyondItsCapIsAnErrorThenClose() throws Exception {
        try (ServerFixture fx = new ServerFixture(); RawPeer w = fx.connect()) {
            w.send("signal", "c", "p".repeat(65_537));
            assertThat(w.line()).isEqualTo("error");
            assertThat(w.closedByServer()).isTrue();
        }
    }

    @Test
    void oversizedAuthLineIsRefusedAndClosed() throws Exception {
        try (ServerFixture fx = new ServerFixture(b -> b.authToken("s3cret")); RawPeer w = fx.connect()) {
            w.send("auth", "_", "s".repeat(65_537));
            assertThat(w.line()).isEqualTo("error_auth");
            assertThat(w.closedByServer()).isTrue();
        }
    }

    @Test
    void connectionFloodWithGarbageLeavesNothingBehind() throws Exception {
        try (ServerFixture fx = new ServerFixture()) {
            List<RawPeer> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    RawPeer w = fx.connect();
                    flood.add(w);
                    switch (i % 4) {
                        case 0 -> w.send("l", "flood" + (i % 8), "30");       // holds or queues
                        case 1 -> w.raw("e\nflood\n".getBytes(StandardCharsets.US_ASCII)); // half a request
                        case 2 -> w.raw(new byte[] {(byte) 0xff, 0, '\r'});  // garbage, no LF
                        default -> { }                                       // connect and say nothing
                    }
                }
                // A connect returns once the kernel accepted it; the server registers it a moment later.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> fx.stats().get("connections").asInt() == 201);
            } finally {
                for (RawPeer w : flood) {
                    w.close(); // abrupt: no release, no reply read
                }
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var s = fx.stats();
                assertThat(s.get("connections").asInt()).isEqualTo(1);
                assertThat(s.get("locks")).isEmpty();
            });
        }
    }
}
