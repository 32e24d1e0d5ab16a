package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Barriers over real TCP (PROTOCOL.md §6.20): {@code bwait} answered {@code ok} to every party at the
 * trip, {@code timeout} to every party when one leaves, the count mismatch, {@code barriers} in stats
 * and bad input, replies checked byte for byte.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class BarrierProtocolTest {
    private ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private static void assertLine(RawPeer p, String line) throws Exception {
        assertThat(p.lineBytes()).as(line).isEqualTo(line.getBytes(StandardCharsets.US_ASCII));
    }

    /** Waits until barrier {@code key} has {@code n} parties waiting, as {@code stats} says. */
    private void awaitParties(String key, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode b : fx.stats().get("barriers")) {
                if (b.get("key").asText().equals(key)) {
                    return b.get("participants").asInt() == n;
                }
            }
            return false;
        });
    }

    @Test
    void theLastPartyReleasesEveryoneAtOnceAndTheKeyServesTheNextRound() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect(); RawPeer c = fx.connect()) {
            a.send("bwait", "stage", "3 30");
            b.send("bwait", "stage", "3 30");
            awaitParties("stage", 2);
            c.send("bwait", "stage", "3 30");
            assertLine(c, "ok");
            assertLine(a, "ok");
            assertLine(b, "ok");
            assertThat(fx.stats().get("barriers")).isEmpty();

            a.send("bwait", "stage", "2 30");
            awaitParties("stage", 1);
            b.send("bwait", "stage", "2 30");
            assertLine(a, "ok");
            assertLine(b, "ok");
            c.send("bwait", "single", "1 0");
            assertLine(c, "ok");
        }
    }

    @Test
    void aPartyThatTimesOutBreaksTheBarrierForAll() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect(); RawPeer c = fx.connect()) {
            a.send("bwait", "k", "3 60");
            awaitParties("k", 1);
            b.send("bwait", "k", "3 1");
            b.timeout(10_000);
            assertLine(b, "timeout");
            assertLine(a, "timeout");
            assertThat(fx.stats().get("barriers")).isEmpty();

            a.send("bwait", "k", "3 60");
            awaitParties("k", 1);
            c.send("bwait", "k", "3 0"); // try once: not the last party, so it leaves at once
            assertLine(c, "timeout");
            assertLine(a, "timeout");
        }
    }

    @Test
    void aDisconnectedPartyBreaksTheBarrier() throws Exception {
        try (RawPeer b = fx.connect()) {
            RawPeer a = fx.connect();
            a.send("bwait", "k", "3 60");
            b.send("bwait", "k", "3 60");
            awaitParties("k", 2);
            a.close();
            assertLine(b, "timeout");
            assertThat(b.call("ping", "_", "_")).isEqualTo("ok");
        }
    }

    @Test
    void aPartyWaitingWhenTheServerShutsDownIsAnsweredTimeout() throws Exception {
        try (RawPeer a = fx.connect()) {
            a.send("bwait", "k", "2 60");
            awaitParties("k", 1);
            Thread drain = new Thread(() -> fx.server.shutdownGracefully(Duration.ofSeconds(30)), "test-drain");
            drain.start();
            a.timeout(10_000);
            assertLine(a, "timeout");
            assertThat(a.closedByServer()).isTrue();
            drain.join(30_000);
        }
    }

    @Test
    void anotherCountIsAMismatchAndStatsShowTheFillingBarrier() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect(); RawPeer s = fx.connect()) {
            a.send("bwait", "k", "3 60");
            awaitParties("k", 1);
            b.send("bwait", "k", "2 60");
            assertLine(b, "error_barrier_count_mismatch");
            assertThat(s.call("stats", "_", "_")).matches(".*\"barriers\":\\[\\{\"key\":\"k\",\"count\":3,"
                    + "\"participants\":1,\"idle_s\":[0-9.E-]+}].*");
        }
    }

    @Test
    void badArgumentsAreRefusedAndTheConnectionStays() throws Exception {
        try (RawPeer a = fx.connect()) {
            for (String arg : new String[] {"0 10", "-1 10", "3", "3 10 1", "x 10", "3 x", "3 -1", ""}) {
                a.send("bwait", "k", arg);
                assertLine(a, "error");
            }
            assertThat(a.call("ping", "_", "_")).isEqualTo("ok");
            assertThat(fx.stats().get("barriers")).isEmpty();
        }
    }
}
