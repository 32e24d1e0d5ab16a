package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Connection caps and the write deadline (PROTOCOL.md §3, §2.3). */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class LimitsTest {
    @Test
    void maxConnectionsRefusesSilentlyAndCountsClosesCorrectly() throws Exception {
        try (ServerFixture fx = new ServerFixture(b -> b.maxConnections(2))) {
            try (RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
                // A connect returns once the kernel accepted it; the server admits it a moment later,
                // on the connection's own event loop. Only a reply proves a and b took the two places
                // before c arrives (else c may be admitted and b refused).
                assertThat(a.call("ping", "_", "_")).isEqualTo("ok");
                assertThat(b.call("ping", "_", "_")).isEqualTo("ok");
                try (RawPeer c = fx.connect()) {
                    c.send("ping", "_", "_");
                    assertThat(c.lineOrNull()).as("closed without a reply").isNull();
                }
                assertThat(b.call("ping", "_", "_")).isEqualTo("ok");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> fx.server.openConnections() == 0);
            try (RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
                assertThat(a.call("ping", "_", "_")).isEqualTo("ok");
                assertThat(b.call("ping", "_", "_")).isEqualTo("ok");
            }
        }
    }

    @Test
    void maxConnectionsPerIpAppliesToOneAddress() throws Exception {
        try (ServerFixture fx = new ServerFixture(b -> b.maxConnectionsPerIp(1))) {
            try (RawPeer a = fx.connect()) {
                assertThat(a.call("ping", "_", "_")).isEqualTo("ok");
                try (RawPeer b = fx.connect()) {
                    b.send("ping", "_", "_");
                    assertThat(b.lineOrNull()).isNull();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> fx.server.openConnections() == 0);
            try (RawPeer a = fx.connect()) {
                assertThat(a.call("ping", "_", "_")).isEqualTo("ok");
            }
        }
    }

    @Test
    void peerThatStopsReadingIsClosedAndItsLockReleased() throws Exception {
        try (ServerFixture fx = new ServerFixture(b -> b.writeTimeoutSeconds(1))) {
            Socket raw = new Socket();
            raw.setReceiveBufferSize(4096);
            raw.connect(new InetSocketAddress("127.0.0.1", fx.port()));
            try (RawPeer stuck = new RawPeer(raw)) {
                assertThat(stuck.call("l", "k", "30")).startsWith("ok ");
                // stats replies are ~150 bytes for 12 request bytes: far more than the kernel buffers hold.
                byte[] pings = "stats\n_\n_\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
                // Pipeline requests and never read the replies; the server's buffers fill up.
                Thread writer = new Thread(() -> {
                    try {
                        for (int i = 0; i < 50; i++) {
                            stuck.raw(pings);
                        }
                    } catch (Exception closed) {
                        // expected: the server gave up on us
                    }
                });
                writer.setDaemon(true);
                writer.start();
                // Lock released and connection counted out; "1" is the stats connection itself. Each
                // look is a fresh connection and the server may not yet have counted out the previous
                // look's (closed a moment ago, handled on its own event loop), so this is part of the
                // wait rather than asserted once right after it.
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    JsonNode s = fx.stats();
                    return s.get("locks").isEmpty() && s.get("connections").asInt() == 1;
                });
            }
        }
    }
}
