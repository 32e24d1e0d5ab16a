package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dflockd.protocol.FenceToken;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Lock, semaphore and two-phase commands over real TCP, reply shapes exactly as PROTOCOL.md §6. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class LockProtocolTest {
    private ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(b -> b.maxWaiters(2).maxLocks(50));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void acquireRenewReleaseReplyShapes() throws Exception {
        try (RawPeer w = fx.connect()) {
            String grant = w.call("l", "k", "5");
            assertThat(grant).matches("ok [0-9a-f]{32} 33");
            String token = grant.split(" ")[1];
            assertThat(w.call("n", "k", token)).isEqualTo("ok 33");
            assertThat(w.call("n", "k", token + " 7")).isEqualTo("ok 7");
            assertThat(w.call("r", "k", token)).isEqualTo("ok");
            assertThat(w.call("r", "k", token)).isEqualTo("error");
            assertThat(w.call("l", "k", "5 12")).matches("ok [0-9a-f]{32} 12");
        }
    }

    @Test
    void keepHandsAHeldLockOverToTimeAcrossADisconnect() throws Exception {
        String token;
        try (RawPeer a = fx.connect()) {
            token = a.call("l", "kept", "5").split(" ")[1];
            assertThat(a.call("k", "kept", token)).isEqualTo("error"); // the lease is required
            assertThat(a.call("k", "kept", token + " 30")).isEqualTo("ok 30");
        } // a's connection closes: a kept lock is not released
        try (RawPeer b = fx.connect()) {
            assertThat(b.call("l", "kept", "0")).isEqualTo("timeout");
            assertThat(b.call("r", "kept", token)).isEqualTo("ok"); // its token still releases it, from anywhere
            assertThat(b.call("l", "kept", "0")).matches("ok [0-9a-f]{32} 33");
        }
    }

    @Test
    void fencesIncreaseAcrossGrantsOfOneKey() throws Exception {
        try (RawPeer w = fx.connect()) {
            String a = w.call("l", "k", "5").split(" ")[1];
            w.call("r", "k", a);
            String b = w.call("l", "k", "5").split(" ")[1];
            assertThat(Long.compareUnsigned(FenceToken.fence(b), FenceToken.fence(a))).isPositive();
            assertThat(b).isGreaterThan(a);
        }
    }

    @Test
    void handsOffToTheBlockedWaiterOnReleaseAndOnDisconnect() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect(); RawPeer c = fx.connect()) {
            String token = a.call("l", "k", "5").split(" ")[1];
            b.send("l", "k", "10");
            fx.awaitLockWaiters("k", 1);
            c.send("l", "k", "10");
            fx.awaitLockWaiters("k", 2);
            assertThat(a.call("r", "k", token)).isEqualTo("ok");
            assertThat(b.line()).matches("ok [0-9a-f]{32} 33");
            b.close(); // holder vanishes: auto-release hands the lock to c
            assertThat(c.line()).matches("ok [0-9a-f]{32} 33");
        }
    }

    @Test
    void tryLockAndTimeoutLeaveNoWaiter() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            a.call("l", "k", "5");
            assertThat(b.call("l", "k", "0")).isEqualTo("timeout");
            assertThat(b.call("l", "k", "1")).isEqualTo("timeout");
            JsonNode lock = fx.stats().get("locks").get(0);
            assertThat(lock.get("waiters").asInt()).isZero();
        }
    }

    @Test
    void twoPhaseOverTheWire() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            String acquired = a.call("e", "k", "");
            assertThat(acquired).matches("acquired [0-9a-f]{32} 33");
            assertThat(a.call("e", "k", "")).isEqualTo("error_already_enqueued");
            assertThat(b.call("e", "k", "20")).isEqualTo("queued");
            assertThat(b.call("w", "k", "0")).isEqualTo("timeout");
            assertThat(b.call("w", "k", "1")).isEqualTo("error_not_enqueued");
            assertThat(b.call("e", "k", "20")).isEqualTo("queued");
            b.send("w", "k", "10");
            assertThat(a.call("w", "k", "5")).isEqualTo(acquired.replace("acquired", "ok"));
            assertThat(a.call("r", "k", acquired.split(" ")[1])).isEqualTo("ok");
            assertThat(b.line()).matches("ok [0-9a-f]{32} 20");
            assertThat(a.call("e", "k", "1 2")).isEqualTo("error");
            assertThat(a.call("w", "k", "")).isEqualTo("error");
        }
    }

    @Test
    void semaphoresShareTheKeyspaceWithLocks() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            assertThat(a.call("sl", "pool", "5 2")).matches("ok [0-9a-f]{32} 33");
            String second = b.call("sl", "pool", "5 2 9");
            assertThat(second).matches("ok [0-9a-f]{32} 9");
            assertThat(b.call("sl", "pool", "0 2")).isEqualTo("timeout");
            assertThat(b.call("sl", "pool", "0 3")).isEqualTo("error_limit_mismatch");
            assertThat(b.call("l", "pool", "0")).isEqualTo("error_limit_mismatch");
            assertThat(b.call("e", "pool", "")).isEqualTo("error_limit_mismatch");
            assertThat(b.call("se", "pool", "2")).isEqualTo("queued");
            assertThat(b.call("sn", "pool", second.split(" ")[1])).isEqualTo("ok 33");
            // One namespace: a token is valid with either family's release.
            assertThat(b.call("r", "pool", second.split(" ")[1])).isEqualTo("ok");
            assertThat(b.call("sw", "pool", "1")).matches("ok [0-9a-f]{32} 33");
            JsonNode sem = fx.stats().get("semaphores").get(0);
            assertThat(sem.get("key").asText()).isEqualTo("pool");
            assertThat(sem.get("limit").asInt()).isEqualTo(2);
            assertThat(sem.get("holders").asInt()).isEqualTo(2);
        }
    }

    @Test
    void capsOnWaitersAndKeys() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect(); RawPeer c = fx.connect(); RawPeer d = fx.connect()) {
            a.call("l", "k", "5");
            b.send("l", "k", "10");
            c.send("l", "k", "10");
            fx.awaitLockWaiters("k", 2);
            assertThat(d.call("l", "k", "10")).isEqualTo("error_max_waiters");
            assertThat(d.call("e", "k", "")).isEqualTo("error_max_waiters");
            for (int i = 1; i < 50; i++) {
                assertThat(d.call("l", "key" + i, "0")).startsWith("ok ");
            }
            assertThat(d.call("l", "one-too-many", "0")).isEqualTo("error_max_locks");
        }
    }

    @Test
    void statsSchemaHasEveryArray() throws Exception {
        try (RawPeer a = fx.connect()) {
            a.call("l", "held", "5 20");
            String t = a.call("l", "idle", "5").split(" ")[1];
            a.call("r", "idle", t);
            JsonNode s = fx.stats();
            assertThat(s.get("connections").asInt()).isEqualTo(2);
            assertThat(s.get("locks")).hasSize(1);
            JsonNode lock = s.get("locks").get(0);
            assertThat(lock.get("key").asText()).isEqualTo("held");
            assertThat(lock.get("owner_conn_id").asLong()).isPositive();
            assertThat(lock.get("lease_expires_in_s").asDouble()).isBetween(0.0, 20.0);
            assertThat(s.get("idle_locks").get(0).get("key").asText()).isEqualTo("idle");
            assertThat(s.get("semaphores").isArray()).isTrue();
            assertThat(s.get("idle_semaphores").isArray()).isTrue();
            assertThat(s.has("cluster")).as("standalone: no cluster object").isFalse();
        }
    }

    @Test
    void barrierIsANoOpOnAStandaloneServer() throws Exception {
        try (RawPeer a = fx.connect()) {
            a.send("barrier", "_", "_").send("barrier", "x", "y").send("l", "k", "0");
            assertThat(a.line()).isEqualTo("ok");
            assertThat(a.line()).isEqualTo("ok");
            assertThat(a.line()).matches("ok [0-9a-f]{32} 33");
        }
    }

    /** PROTOCOL.md §6.13: accepted and ignored standalone (every time); a malformed reference is error. */
    @Test
    void stableRefIsAcceptedAndIgnoredOnAStandaloneServer() throws Exception {
        try (RawPeer a = fx.connect()) {
            a.send("stable-ref", "worker-1", "_").send("stable-ref", "worker-2", "_")
                    .send("stable-ref", "x".repeat(65), "_").send("stable-ref", " ", "_").send("l", "k", "0");
            assertThat(a.line()).isEqualTo("ok");
            assertThat(a.line()).isEqualTo("ok");
            assertThat(a.line()).isEqualTo("error");
            assertThat(a.line()).isEqualTo("error");
            assertThat(a.line()).matches("ok [0-9a-f]{32} 33");
        }
    }

    @Test
    void renewOfAnExpiredLeaseFailsAndTheNextWaiterIsGrantedOnTime() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            // Taken before the request: the server starts the 1 s lease after this instant, so the
            // grant to b can never come sooner than 1 s after it (taken after the reply, the reply's
            // own latency would count against the bound).
            long start = System.nanoTime();
            String token = a.call("l", "k", "5 1").split(" ")[1];
            b.send("l", "k", "10");
            CompletableFuture<String> granted = CompletableFuture.supplyAsync(() -> {
                try {
                    return b.line();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(granted.get(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("ok ");
            // Real clock: never before the 1 s deadline.
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(1000).toNanos());
            assertThat(a.call("n", "k", token)).isEqualTo("error");
        }
    }
}
