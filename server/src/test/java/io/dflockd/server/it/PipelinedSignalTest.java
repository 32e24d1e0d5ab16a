package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A publisher that pipelines batches of signals (PROTOCOL.md §2.5 allows it for non-blocking
 * commands): pushes are written per batch and handed to other event loops once per batch; every
 * listener, on whichever loop, must still get every signal in order, nobody may be taken for a
 * slow consumer, and each reply must come in request order.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class PipelinedSignalTest {
    private static final int LISTENERS = 8;
    private static final int BATCH = 48;
    private static final int BATCHES = 6;

    private ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(b -> b);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void pipelinedBatchesReachEveryListenerInOrder() throws Exception {
        List<RawPeer> listeners = new ArrayList<>();
        try (RawPeer pub = fx.connect()) {
            for (int i = 0; i < LISTENERS; i++) {
                RawPeer w = fx.connect();
                listeners.add(w);
                assertThat(w.call("listen", "feed.>", "")).isEqualTo("ok");
            }
            int n = 0;
            for (int b = 0; b < BATCHES; b++) {
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                for (int k = 0; k < BATCH; k++) {
                    batch.writeBytes(("signal\nfeed.items\nitem " + (n + k) + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                pub.raw(batch.toByteArray());
                for (int k = 0; k < BATCH; k++) {
                    assertThat(pub.line()).isEqualTo("ok " + LISTENERS);
                }
                n += BATCH;
                // Listeners read as they go (each batch stays below the 64-frame cap).
                for (RawPeer w : listeners) {
                    for (int k = n - BATCH; k < n; k++) {
                        assertThat(w.line()).isEqualTo("sig feed.items item " + k);
                    }
                }
            }
            assertThat(pub.call("ping", "_", "_")).isEqualTo("ok");
            assertThat(fx.stats().get("signal_channels").get(0).get("listeners").asInt()).isEqualTo(LISTENERS);
        } finally {
            for (RawPeer w : listeners) {
                w.close();
            }
        }
    }

    @Test
    void aPublisherListeningToItselfGetsPushesAndAllReplies() throws Exception {
        try (RawPeer self = fx.connect()) {
            assertThat(self.call("listen", "loop", "")).isEqualTo("ok");
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int k = 0; k < 10; k++) {
                batch.writeBytes(("signal\nloop\nm" + k + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            self.raw(batch.toByteArray());
            List<String> sigs = new ArrayList<>();
            int oks = 0;
            while (sigs.size() < 10 || oks < 10) {
                String line = self.line();
                if (line.startsWith("sig ")) {
                    sigs.add(line);
                } else {
                    assertThat(line).isEqualTo("ok 1");
                    oks++;
                }
            }
            for (int k = 0; k < 10; k++) {
                assertThat(sigs.get(k)).isEqualTo("sig loop m" + k);
            }
        }
    }
}
