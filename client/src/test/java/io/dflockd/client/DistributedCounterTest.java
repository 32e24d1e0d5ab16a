package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.server.DflockdServer;
import io.dflockd.testing.RefusedPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Counters over real TCP against a real server (PROTOCOL.md §6.16). */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class DistributedCounterTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();
    /** How long an async call of a quick command may take. */
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void anAbsentCounterIsZeroAndEveryChangeReturnsTheNewValue() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedCounter c = client.counter(key("ctr"));
            assertThat(c.get()).isZero();
            assertThat(c.incrementAndGet()).isEqualTo(1);
            assertThat(c.incrementAndGet(10)).isEqualTo(11);
            assertThat(c.decrementAndGet(20)).isEqualTo(-9);
            assertThat(c.decrementAndGet()).isEqualTo(-10);
            c.set(42);
            assertThat(c.get()).isEqualTo(42);
            assertThat(c.incrementAndGet(-2)).isEqualTo(40);
        }
    }

    @Test
    void incrementsFromManyThreadsAreNeverLost() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedCounter c = client.counter(key("ctr-many"));
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 50; i++) {
                        c.incrementAndGet();
                    }
                }));
            }
            done.forEach(CompletableFuture::join);
            assertThat(c.get()).isEqualTo(200);
        }
    }

    @Test
    void anOverflowIsAServerErrorAndLeavesTheValue() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedCounter c = client.counter(key("ctr-max"));
            c.set(Long.MAX_VALUE);
            assertThatThrownBy(c::incrementAndGet).isInstanceOf(ServerErrorException.class);
            assertThat(c.get()).isEqualTo(Long.MAX_VALUE);
            c.set(Long.MIN_VALUE);
            assertThatThrownBy(c::decrementAndGet).isInstanceOf(ServerErrorException.class);
            assertThat(c.get()).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void aCounterBeyondMaxKeysIsRefusedWithMaxKeysException() {
        try (DflockdServer limited = TestServers.start(b -> b.maxKeys(1));
                DflockdClient client = DflockdClient.create(TestServers.config(limited))) {
            DistributedCounter first = client.counter(key("ctr-a"));
            DistributedCounter second = client.counter(key("ctr-b"));
            assertThat(first.incrementAndGet()).isEqualTo(1);
            assertThatThrownBy(second::incrementAndGet).isInstanceOf(MaxKeysException.class);
            assertThatThrownBy(() -> second.set(5)).isInstanceOf(MaxKeysException.class);
            assertThat(second.get()).isZero(); // nothing was created
            assertThat(first.incrementAndGet()).isEqualTo(2); // an existing counter still changes
        }
    }

    @Test
    void aClosedCounterRefusesCalls() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            String k = key("ctr-closed");
            DistributedCounter c = client.counter(k);
            c.incrementAndGet();
            c.close();
            assertThat(c.isClosed()).isTrue();
            assertThatThrownBy(c::get).isInstanceOf(IllegalStateException.class)
                    .hasMessage("counter '" + k + "' is closed");
        }
    }

    @Test
    void theAsyncFormsCompleteWithWhatTheBlockingOnesReturn() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedCounter c = client.counter(key("ctr-async"));
            assertThat(c.getAsync()).succeedsWithin(WITHIN).isEqualTo(0L);
            assertThat(c.incrementAndGetAsync()).succeedsWithin(WITHIN).isEqualTo(1L);
            assertThat(c.incrementAndGetAsync(10)).succeedsWithin(WITHIN).isEqualTo(11L);
            assertThat(c.decrementAndGetAsync(20)).succeedsWithin(WITHIN).isEqualTo(-9L);
            assertThat(c.decrementAndGetAsync()).succeedsWithin(WITHIN).isEqualTo(-10L);
            assertThat(c.setAsync(42)).succeedsWithin(WITHIN);
            assertThat(c.getAsync()).succeedsWithin(WITHIN).isEqualTo(42L);
            assertThat(c.get()).isEqualTo(42);
        }
    }

    @Test
    void manyConcurrentAsyncIncrementsEachGetADistinctValue() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedCounter c = client.counter(key("ctr-async-many"));
            List<CompletableFuture<Long>> increments = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                increments.add(c.incrementAndGetAsync());
            }
            List<Long> values = increments.stream().map(f -> f.orTimeout(30, TimeUnit.SECONDS).join()).toList();
            assertThat(values).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
            assertThat(c.get()).isEqualTo(200);
        }
    }

    @Test
    void anAsyncOverflowFailsTheFutureWithServerErrorException() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedCounter c = client.counter(key("ctr-async-max"));
            c.set(Long.MAX_VALUE);
            assertThat(c.incrementAndGetAsync()).failsWithin(WITHIN).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ServerErrorException.class);
            assertThat(c.getAsync()).succeedsWithin(WITHIN).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void anAsyncCallFailsAsTheBlockingOneOnAClosedCounterOrAnUnreachableServer() throws Exception {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            String k = key("ctr-async-closed");
            DistributedCounter c = client.counter(k);
            c.close();
            assertThat(c.incrementAndGetAsync()).failsWithin(WITHIN).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IllegalStateException.class).withMessageContaining("counter '" + k + "' is closed");
        }
        try (RefusedPort refused = new RefusedPort();
                DflockdClient dead = DflockdClient.create(ClientConfig.builder().server(refused.hostPort()).build())) {
            assertThat(dead.counter(key("ctr-async-dead")).getAsync()).failsWithin(WITHIN)
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(DflockdIOException.class);
        }
    }
}
