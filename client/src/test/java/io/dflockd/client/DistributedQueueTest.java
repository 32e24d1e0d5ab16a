package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.server.DflockdServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lists used as queues over real TCP against a real server (PROTOCOL.md §6.18). */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class DistributedQueueTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void offersAndPollsAtBothEnds() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedQueue q = client.queue(key("q"));
            assertThat(q.size()).isZero();
            assertThat(q.pollFirst()).isEmpty();
            assertThat(q.offerLast("b")).isEqualTo(1);
            assertThat(q.offerLast("c")).isEqualTo(2);
            assertThat(q.offerFirst("a")).isEqualTo(3);
            assertThat(q.range(0, -1)).containsExactly("a", "b", "c");
            assertThat(q.pollFirst()).contains("a");
            assertThat(q.pollLast()).contains("c");
            assertThat(q.size()).isEqualTo(1);
            assertThat(q.pollLast(Duration.ZERO)).contains("b");
            assertThat(q.size()).isZero();
        }
    }

    @Test
    void rangeCountsFromTheEndClampsAndKeepsItemsByteForByte() {
        List<String> items = List.of("a b", "q\"\\é", "tab\there", "[not json", "𝄞");
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedQueue q = client.queue(key("q-range"));
            items.forEach(q::offerLast);
            assertThat(q.range(0, -1)).isEqualTo(items);
            assertThat(q.range(-2, -1)).isEqualTo(items.subList(3, 5));
            assertThat(q.range(1, 2)).isEqualTo(items.subList(1, 3));
            assertThat(q.range(-100, 100)).isEqualTo(items);
            assertThat(q.range(7, 9)).isEmpty();
            assertThat(q.range(3, 1)).isEmpty();
            assertThat(client.queue(key("q-none")).range(0, -1)).isEmpty();
        }
    }

    @Test
    void aWaitingPollTimesOutEmpty() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedQueue q = client.queue(key("q-empty"));
            assertThat(q.pollFirst(Duration.ofSeconds(1))).isEqualTo(Optional.empty());
            assertThat(q.pollLast(Duration.ZERO)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void aWaitingPollGetsAnItemOfferedLater() throws Exception {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedQueue q = client.queue(key("q-wait"));
            CompletableFuture<Optional<String>> first = q.pollFirstAsync(Duration.ofSeconds(30));
            CompletableFuture<Optional<String>> last = q.pollLastAsync(Duration.ofSeconds(30));
            q.offerLast("one");
            q.offerLast("two");
            // each waiting poll has its own connection: both are served, whichever the server met first
            assertThat(List.of(first.get(30, TimeUnit.SECONDS).orElseThrow(), last.get(30, TimeUnit.SECONDS).orElseThrow()))
                    .containsExactlyInAnyOrder("one", "two");
            assertThat(q.size()).isZero();
        }
    }

    @Test
    void closingTheQueueEndsAWaitingPollAtOnce() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedQueue q = client.queue(key("q-close"));
            CompletableFuture<Optional<String>> waiting = q.pollFirstAsync(Duration.ofMinutes(5));
            q.close(); // before or while the poll waits: either way it ends now, not in 5 minutes
            assertThat(waiting).failsWithin(Duration.ofSeconds(10));
            assertThatThrownBy(q::size).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anOfferOntoAFullListIsRefusedWithListFullException() {
        try (DflockdServer limited = TestServers.start(b -> b.maxListLength(2));
                DflockdClient client = DflockdClient.create(TestServers.config(limited))) {
            DistributedQueue q = client.queue(key("q-full"));
            q.offerLast("1");
            q.offerLast("2");
            assertThatThrownBy(() -> q.offerLast("3")).isInstanceOf(ListFullException.class);
            assertThatThrownBy(() -> q.offerFirst("0")).isInstanceOf(ListFullException.class);
            assertThat(q.range(0, -1)).containsExactly("1", "2");
        }
    }

    @Test
    void aListBeyondMaxKeysIsRefusedWithMaxKeysException() {
        try (DflockdServer limited = TestServers.start(b -> b.maxKeys(1));
                DflockdClient client = DflockdClient.create(TestServers.config(limited))) {
            client.queue(key("q-a")).offerLast("x");
            DistributedQueue second = client.queue(key("q-b"));
            assertThatThrownBy(() -> second.offerLast("y")).isInstanceOf(MaxKeysException.class);
            assertThat(second.size()).isZero();
        }
    }

    @Test
    void invalidItemsAreRefusedBeforeTheWire() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedQueue q = client.queue(key("q-bad"));
            assertThatThrownBy(() -> q.offerLast("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.offerLast("a\r\nb")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.pollFirst(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThat(q.size()).isZero();
        }
    }
}
