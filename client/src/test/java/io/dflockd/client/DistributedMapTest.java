package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dflockd.server.DflockdServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Key-value entries over real TCP against a real server (PROTOCOL.md §6.17). */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class DistributedMapTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();
    /** How long an async call of a quick command may take. */
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void setGetReplaceAndDelete() {
        String k = key("kv");
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedMap kv = client.map();
            assertThat(kv.get(k)).isEmpty();
            kv.set(k, "first");
            assertThat(kv.get(k)).contains("first");
            kv.set(k, " spaced  out ");
            assertThat(kv.get(k)).contains(" spaced  out ");
            kv.delete(k);
            assertThat(kv.get(k)).isEmpty();
            kv.delete(k); // nothing to delete: no error
        }
    }

    @Test
    void valuesComeBackByteForByte() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedMap kv = client.map();
            for (String value : new String[] {"{\"looks\": [\"like json\"]}", "ünïcødé ✓ 𝄞", "nil", "ok 12"}) {
                String k = key("kv-bytes");
                kv.set(k, value);
                assertThat(kv.get(k)).contains(value);
            }
        }
    }

    @Test
    void compareAndSetAndPutIfAbsent() {
        String k = key("kv-cas");
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedMap kv = client.map();
            assertThat(kv.compareAndSet(k, "v0", "v1")).isFalse(); // no entry
            assertThat(kv.putIfAbsent(k, "v1")).isTrue();
            assertThat(kv.putIfAbsent(k, "other")).isFalse();
            assertThat(kv.compareAndSet(k, "wrong", "v2")).isFalse();
            assertThat(kv.get(k)).contains("v1");
            assertThat(kv.compareAndSet(k, "v1", "v2")).isTrue();
            assertThat(kv.get(k)).contains("v2");
        }
    }

    @Test
    void anEntryIsGoneOnceItsTtlRunsOut() {
        String k = key("kv-ttl");
        String kept = key("kv-kept");
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedMap kv = client.map();
            kv.set(kept, "forever", Duration.ofMinutes(10));
            kv.set(k, "brief", Duration.ofSeconds(1));
            assertThat(kv.get(k)).contains("brief");
            await().atMost(Duration.ofSeconds(10)).until(() -> kv.get(k).isEmpty());
            assertThat(kv.get(kept)).contains("forever");
            assertThat(kv.putIfAbsent(k, "again", Duration.ZERO)).isTrue(); // expired: absent to kcas as well
        }
    }

    @Test
    void anEntryBeyondMaxKeysIsRefusedWithMaxKeysException() {
        try (DflockdServer limited = TestServers.start(b -> b.maxKeys(1));
                DflockdClient client = DflockdClient.create(TestServers.config(limited))) {
            DistributedMap kv = client.map();
            String first = key("kv-a");
            kv.set(first, "one");
            assertThatThrownBy(() -> kv.set(key("kv-b"), "two")).isInstanceOf(MaxKeysException.class);
            assertThatThrownBy(() -> kv.putIfAbsent(key("kv-c"), "three")).isInstanceOf(MaxKeysException.class);
            kv.set(first, "replaced"); // replacing creates nothing
            assertThat(kv.get(first)).contains("replaced");
        }
    }

    @Test
    void invalidValuesAreRefusedBeforeTheWire() {
        String k = key("kv-bad");
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedMap kv = client.map();
            assertThatThrownBy(() -> kv.set(k, "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty");
            assertThatThrownBy(() -> kv.set(k, "a\tb")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tab");
            assertThatThrownBy(() -> kv.set(k, "a\nb")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("LF");
            assertThatThrownBy(() -> kv.set(k, "x".repeat(65_537))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("65536");
            assertThatThrownBy(() -> kv.compareAndSet(k, "", "v")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> kv.set(k, "v", Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> kv.get("bad key")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> kv.get(null)).isInstanceOf(IllegalArgumentException.class);
            assertThat(kv.get(k)).isEqualTo(Optional.empty());
            kv.set(k, "x".repeat(65_536 - 20)); // a large value within the line cap
            assertThat(kv.get(k)).hasValueSatisfying(v -> assertThat(v).hasSize(65_536 - 20));
        }
    }

    @Test
    void theAsyncFormsCompleteWithWhatTheBlockingOnesReturn() {
        String k = key("kv-async");
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedMap kv = client.map();
            assertThat(kv.getAsync(k)).succeedsWithin(WITHIN).isEqualTo(Optional.empty());
            assertThat(kv.putIfAbsentAsync(k, "v1")).succeedsWithin(WITHIN).isEqualTo(true);
            assertThat(kv.putIfAbsentAsync(k, "other")).succeedsWithin(WITHIN).isEqualTo(false);
            assertThat(kv.compareAndSetAsync(k, "wrong", "v2")).succeedsWithin(WITHIN).isEqualTo(false);
            assertThat(kv.compareAndSetAsync(k, "v1", "v2")).succeedsWithin(WITHIN).isEqualTo(true);
            assertThat(kv.getAsync(k)).succeedsWithin(WITHIN).isEqualTo(Optional.of("v2"));
            assertThat(kv.setAsync(k, "v3")).succeedsWithin(WITHIN);
            assertThat(kv.get(k)).contains("v3");
            assertThat(kv.deleteAsync(k)).succeedsWithin(WITHIN);
            assertThat(kv.get(k)).isEmpty();

            String ttl = key("kv-async-ttl"); // the TTL forms: each entry expires
            assertThat(kv.setAsync(ttl, "brief", Duration.ofSeconds(1))).succeedsWithin(WITHIN);
            assertThat(kv.get(ttl)).contains("brief");
            await().atMost(WITHIN).until(() -> kv.get(ttl).isEmpty());
            assertThat(kv.putIfAbsentAsync(ttl, "p", Duration.ofSeconds(1))).succeedsWithin(WITHIN).isEqualTo(true);
            await().atMost(WITHIN).until(() -> kv.get(ttl).isEmpty());
            assertThat(kv.compareAndSetAsync(ttl, null, "c", Duration.ofSeconds(1))).succeedsWithin(WITHIN).isEqualTo(true);
            await().atMost(WITHIN).until(() -> kv.get(ttl).isEmpty());
        }
    }

    @Test
    void anAsyncEntryBeyondMaxKeysFailsTheFutureWithMaxKeysException() {
        try (DflockdServer limited = TestServers.start(b -> b.maxKeys(1));
                DflockdClient client = DflockdClient.create(TestServers.config(limited))) {
            DistributedMap kv = client.map();
            assertThat(kv.setAsync(key("kv-async-a"), "one")).succeedsWithin(WITHIN);
            assertThat(kv.setAsync(key("kv-async-b"), "two")).failsWithin(WITHIN)
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(MaxKeysException.class);
            assertThat(kv.putIfAbsentAsync(key("kv-async-c"), "three")).failsWithin(WITHIN)
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(MaxKeysException.class);
        }
    }

    @Test
    void anAsyncCallOnAClosedMapFailsAsTheBlockingOne() {
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedMap kv = client.map();
            kv.close();
            assertThat(kv.getAsync(key("kv-async-closed"))).failsWithin(WITHIN)
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(IllegalStateException.class)
                    .withMessageContaining("map is closed");
        }
    }

    @Test
    void invalidArgumentsOfAnAsyncCallThrowAtTheCall() {
        String k = key("kv-async-bad");
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedMap kv = client.map();
            assertThatThrownBy(() -> kv.getAsync(null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> kv.deleteAsync("bad key")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> kv.setAsync(k, "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty");
            assertThatThrownBy(() -> kv.setAsync(k, "x".repeat(65_537))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("65536");
            assertThatThrownBy(() -> kv.setAsync(k, "v", Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> kv.compareAndSetAsync(k, "a\tb", "v")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tab");
            assertThatThrownBy(() -> kv.putIfAbsentAsync(k, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> kv.putIfAbsentAsync(k, "v", Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(kv.get(k)).isEmpty();
        }
    }
}
