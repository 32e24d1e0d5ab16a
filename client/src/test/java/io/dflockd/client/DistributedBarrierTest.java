package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dflockd.server.DflockdServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Barriers over real TCP against a real server (PROTOCOL.md §6.20). */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class DistributedBarrierTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void threeThreadsTripItTogetherAndTheKeyServesTheNextRound() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedBarrier barrier = client.barrier(key("bar"), 3);
            for (int round = 0; round < 2; round++) {
                List<Future<Boolean>> parties = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    parties.add(threads.submit(() -> barrier.await(LONG)));
                }
                for (Future<Boolean> party : parties) {
                    assertThat(party.get(30, TimeUnit.SECONDS)).isTrue();
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aPartyThatTimesOutBreaksTheBarrierForTheOthers() throws Exception {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            String k = key("bar-break");
            DistributedBarrier barrier = client.barrier(k, 3);
            CompletableFuture<Boolean> patient = barrier.awaitAsync(LONG);
            awaitArrivals(client, k, 1); // else, on a slow box, it could arrive after the barrier broke
            assertThat(barrier.await(Duration.ofSeconds(1))).isFalse();
            assertThat(patient.get(30, TimeUnit.SECONDS)).isFalse(); // told at once, long before its own 30 s
            assertThat(barrier.await(Duration.ZERO)).isFalse(); // alone, and not waiting: broken at once
        }
    }

    @Test
    void aPartyOfAnotherCountIsRefusedWithBarrierCountMismatchException() throws Exception {
        String k = key("bar-count");
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedBarrier ofTwo = client.barrier(k, 2);
            DistributedBarrier ofThree = client.barrier(k, 3);
            CompletableFuture<Boolean> first = ofTwo.awaitAsync(LONG);
            // until the first party is in, a try-once party of three finds no barrier and leaves with false
            await().atMost(LONG).untilAsserted(() -> assertThatThrownBy(() -> ofThree.await(Duration.ZERO))
                    .isInstanceOf(BarrierCountMismatchException.class));
            assertThat(first).isNotDone();
            assertThat(ofTwo.await(LONG)).isTrue();
            assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBarrierBeyondMaxKeysIsRefusedWithMaxKeysException() throws Exception {
        try (DflockdServer limited = TestServers.start(b -> b.maxKeys(1));
                DflockdClient client = DflockdClient.create(TestServers.config(limited))) {
            client.counter(key("bar-slot")).incrementAndGet();
            assertThatThrownBy(() -> client.barrier(key("bar-max"), 2).await(Duration.ZERO))
                    .isInstanceOf(MaxKeysException.class);
        }
    }

    @Test
    void cancellingAnAsyncPartyBreaksTheBarrier() throws Exception {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            String k = key("bar-cancel");
            DistributedBarrier barrier = client.barrier(k, 3);
            CompletableFuture<Boolean> other = barrier.awaitAsync(LONG);
            awaitArrivals(client, k, 1);
            CompletableFuture<Boolean> cancelled = barrier.awaitAsync(LONG);
            awaitArrivals(client, k, 2);
            // the cancelled party leaves the barrier, which breaks it: the other is told at once
            cancelled.cancel(true);
            assertThat(other.get(20, TimeUnit.SECONDS)).isFalse();
            assertThat(cancelled).isCancelled();
        }
    }

    /** Waits until {@code parties} parties wait at the barrier {@code key} (the server's stats). */
    private static void awaitArrivals(DflockdClient client, String key, int parties) {
        await().atMost(LONG).until(() -> {
            try (DflockdConnection c = client.connection()) {
                return c.stats().barriers().stream().anyMatch(b -> b.key().equals(key) && b.participants() == parties);
            }
        });
    }

    @Test
    void aBarrierNeedsAPartyAndATimeout() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            assertThatThrownBy(() -> client.barrier(key("bar-bad"), 0)).isInstanceOf(IllegalArgumentException.class);
            DistributedBarrier b = client.barrier(key("bar-bad"), 2);
            assertThatThrownBy(() -> b.await(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThat(b.parties()).isEqualTo(2);
        }
    }
}
