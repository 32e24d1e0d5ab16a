package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dflockd.protocol.FenceToken;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Read-write lock commands over real TCP, replies exactly as PROTOCOL.md §6.14 and §7.11 say. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class ReadWriteLockProtocolTest {
    private static final String GRANT = "ok [0-9a-f]{32} 33";

    private ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(b -> b.maxWaiters(2).maxLocks(50));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private static String token(String grant) {
        assertThat(grant).matches("(ok|acquired) [0-9a-f]{32} [0-9]+");
        return grant.split(" ")[1];
    }

    @Test
    void readersShareAndAQueuedWriterHoldsBackLaterReaders() throws Exception {
        try (RawPeer r1 = fx.connect(); RawPeer r2 = fx.connect(); RawPeer w = fx.connect(); RawPeer late = fx.connect()) {
            String t1 = token(r1.call("rl", "cfg", "5"));
            String t2 = token(r2.call("rl", "cfg", "5 60"));
            assertThat(r2.call("rn", "cfg", t2)).isEqualTo("ok 33");
            w.send("wl", "cfg", "10");
            awaitRw("cfg", 1);
            late.send("rl", "cfg", "10");
            awaitRw("cfg", 2);
            JsonNode rw = rwStat("cfg");
            assertThat(rw.get("readers").asInt()).isEqualTo(2);
            assertThat(rw.get("writer").asBoolean()).isFalse();

            assertThat(r1.call("rr", "cfg", t1)).isEqualTo("ok");
            assertThat(r2.call("rr", "cfg", t2)).isEqualTo("ok");
            String writeGrant = w.line();
            assertThat(writeGrant).matches(GRANT);
            assertThat(Long.compareUnsigned(FenceToken.fence(token(writeGrant)), FenceToken.fence(t2))).isPositive();
            assertThat(rwStat("cfg").get("writer").asBoolean()).isTrue();

            assertThat(w.call("wr", "cfg", token(writeGrant))).isEqualTo("ok");
            assertThat(late.line()).matches(GRANT);
        }
    }

    @Test
    void releaseAndRenewGoByTokenWhateverTheSide() throws Exception {
        try (RawPeer a = fx.connect()) {
            String read = token(a.call("rl", "k", "0"));
            assertThat(a.call("wn", "k", read + " 7")).isEqualTo("ok 7");
            assertThat(a.call("wr", "k", read)).isEqualTo("ok");
            assertThat(a.call("rr", "k", read)).isEqualTo("error");
            assertThat(a.call("rn", "k", read)).isEqualTo("error");
            String write = token(a.call("wl", "k", "0 12"));
            assertThat(a.call("rl", "k", "0")).isEqualTo("timeout");
            assertThat(a.call("rr", "k", write)).isEqualTo("ok");
            String kept = token(a.call("wl", "k", "0"));
            assertThat(a.call("k", "k", kept + " 30")).isEqualTo("ok 30"); // keep works on any grant, by token
        } // a kept write grant outlives its connection
        try (RawPeer b = fx.connect()) {
            assertThat(b.call("rl", "k", "0")).isEqualTo("timeout");
        }
    }

    @Test
    void twoPhaseEnqueueAndWait() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect(); RawPeer c = fx.connect()) {
            String acquired = a.call("re", "k", "");
            assertThat(acquired).matches("acquired [0-9a-f]{32} 33");
            assertThat(a.call("we", "k", "")).isEqualTo("error_already_enqueued");
            assertThat(b.call("we", "k", "20")).isEqualTo("queued");
            assertThat(c.call("re", "k", "")).isEqualTo("queued"); // behind the writer
            assertThat(c.call("rw", "k", "0")).isEqualTo("timeout"); // and leaves the queue
            assertThat(c.call("rw", "k", "1")).isEqualTo("error_not_enqueued");
            assertThat(a.call("rw", "k", "5")).isEqualTo("ok " + token(acquired) + " 33");

            b.send("ww", "k", "10");
            awaitRw("k", 1);
            assertThat(a.call("rr", "k", token(acquired))).isEqualTo("ok");
            String write = b.line();
            assertThat(write).matches("ok [0-9a-f]{32} 20");
            assertThat(c.call("we", "k", "")).isEqualTo("queued");
            assertThat(b.call("wr", "k", token(write))).isEqualTo("ok");
            assertThat(c.call("ww", "k", "0")).matches(GRANT); // granted meanwhile: collected at once
        }
    }

    @Test
    void aKeyIsALockOrAReadWriteLockNeverBoth() throws Exception {
        try (RawPeer a = fx.connect()) {
            a.call("rl", "rw", "0");
            a.call("l", "lock", "0");
            a.call("sl", "sem", "0 3");
            assertThat(a.call("l", "rw", "0")).isEqualTo("error_type_mismatch");
            assertThat(a.call("sl", "rw", "0 3")).isEqualTo("error_type_mismatch");
            assertThat(a.call("e", "rw", "")).isEqualTo("error_type_mismatch");
            assertThat(a.call("se", "rw", "3")).isEqualTo("error_type_mismatch");
            for (String key : new String[] {"lock", "sem"}) {
                assertThat(a.call("rl", key, "0")).isEqualTo("error_type_mismatch");
                assertThat(a.call("wl", key, "5")).isEqualTo("error_type_mismatch");
                assertThat(a.call("re", key, "")).isEqualTo("error_type_mismatch");
                assertThat(a.call("we", key, "")).isEqualTo("error_type_mismatch");
            }
            assertThat(a.call("ping", "_", "_")).isEqualTo("ok");
            assertThat(fx.stats().get("rw_locks")).hasSize(1);
        }
    }

    @Test
    void maxWaitersTryLocksAndBadInput() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect(); RawPeer c = fx.connect()) {
            token(a.call("wl", "k", "0"));
            assertThat(b.call("rl", "k", "0")).isEqualTo("timeout");
            b.send("rl", "k", "10");
            c.send("wl", "k", "10");
            awaitRw("k", 2);
            assertThat(a.call("rl", "k", "10")).isEqualTo("error_max_waiters");
            assertThat(a.call("re", "k", "")).isEqualTo("error_max_waiters");
            assertThat(a.call("rl", "k", "")).isEqualTo("error");
            assertThat(a.call("wl", "k", "1 0")).isEqualTo("error");
            assertThat(a.call("rl", "k", "1 3 60")).isEqualTo("error");
            assertThat(a.call("rk", "k", "x 5")).isEqualTo("error");
            assertThat(a.call("rr", "k", " ")).isEqualTo("error");
            assertThat(a.call("ping", "_", "_")).isEqualTo("ok");
        }
    }

    @Test
    void aWritersDisconnectGrantsTheQueuedReadersTogether() throws Exception {
        try (RawPeer w = fx.connect(); RawPeer r1 = fx.connect(); RawPeer r2 = fx.connect()) {
            token(w.call("wl", "k", "0"));
            r1.send("rl", "k", "10");
            r2.send("rl", "k", "10");
            awaitRw("k", 2);
            w.close();
            assertThat(r1.line()).matches(GRANT);
            assertThat(r2.line()).matches(GRANT);
            JsonNode rw = rwStat("k");
            assertThat(rw.get("readers").asInt()).isEqualTo(2);
            assertThat(rw.get("waiters").asInt()).isZero();
        }
    }

    /** Waits until the read-write lock {@code key} has {@code n} waiters. */
    private void awaitRw(String key, int n) {
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            JsonNode rw = rwStat(key);
            return rw != null && rw.get("waiters").asInt() == n;
        });
    }

    private JsonNode rwStat(String key) throws Exception {
        for (JsonNode l : fx.stats().get("rw_locks")) {
            if (l.get("key").asText().equals(key)) {
                return l;
            }
        }
        return null;
    }
}
