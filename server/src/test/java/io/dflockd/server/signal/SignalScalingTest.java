package io.dflockd.server.signal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Publish cost must not grow with the number of subscriptions that cannot match. A linear scan
 * over 10 000 patterns costs well over 100 µs per publish; the trie only walks the channel's own
 * branches. The bound is deliberately loose so a busy CI machine does not make it flaky.
 */
class SignalScalingTest {
    private static final int ROUNDS = 200_000;
    private static final int BATCHES = 10;
    private static final int BATCH = 20_000;

    @Test
    void publishIgnoresTenThousandNonMatchingWildcards() {
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber idle = new FakeSubscriber("idle");
        for (int i = 0; i < 5_000; i++) {
            router.listen(idle, "svc" + i + ".*.>", "");      // different first token
            router.listen(idle, "orders." + i + ".*", "");    // shares the channel's first token
        }
        Subscriber sink = new Subscriber() {
            @Override
            public long connectionId() {
                return 0;
            }

            @Override
            public boolean offer(byte[] frame) {
                return true;
            }

            @Override
            public void evict(String reason) {
            }
        };
        router.listen(sink, "orders.*.created", "");
        router.listen(sink, "orders.>", "g");
        assertThat(router.subscriptionCount(idle)).isEqualTo(10_000);

        long sum = 0;
        for (int i = 0; i < ROUNDS; i++) { // warm-up for the JIT
            sum += router.publish("orders.eu.created", "p");
        }
        // Best batch, so that a noisy neighbour or a GC pause cannot fail the test by itself.
        double micros = Double.MAX_VALUE;
        for (int batch = 0; batch < BATCHES; batch++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                sum += router.publish("orders.eu.created", "p");
            }
            micros = Math.min(micros, (System.nanoTime() - t0) / 1_000.0 / BATCH);
        }
        System.out.printf("publish with 10k non-matching wildcard subscriptions: %.3f us%n", micros);

        assertThat(sum).isEqualTo(2L * (ROUNDS + BATCHES * BATCH));
        assertThat(idle.received()).isZero();
        assertThat(micros).isLessThan(20.0);
    }
}
