package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.FenceToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Leader election over real TCP (PROTOCOL.md §6.15, §7.12, §9.13): elect and resign as a lock, fences
 * that grow term after term, and the {@code leader} pushes an observing connection gets.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class ElectionProtocolTest {
    private static final String GRANT = "ok [0-9a-f]{32} [0-9]+";

    private ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(b -> b.maxSubscriptions(2));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private static String token(String grant) {
        assertThat(grant).matches(GRANT);
        return grant.split(" ")[1];
    }

    /** An observer whose {@code observe} was answered; the pushes it gets come next. */
    private RawPeer observer(String key) throws Exception {
        RawPeer o = fx.connect();
        assertThat(o.call("observe", key, "")).isEqualTo("ok");
        return o;
    }

    @Test
    void aSecondCandidateIsElectedAfterTheFirstResignsWithALargerFence() throws Exception {
        try (RawPeer watcher = observer("svc"); RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            String first = a.call("elect", "svc", "0 30");
            assertThat(first).matches("ok [0-9a-f]{32} 30");
            assertThat(watcher.line()).isEqualTo("leader elected svc");

            b.send("elect", "svc", "10");
            fx.awaitLockWaiters("svc", 1);
            assertThat(a.call("resign", "svc", token(first))).isEqualTo("ok");
            String second = b.line();
            assertThat(second).matches("ok [0-9a-f]{32} 33"); // the default lease
            assertThat(Long.compareUnsigned(FenceToken.fence(token(second)), FenceToken.fence(token(first))))
                    .isPositive();
            assertThat(watcher.line()).isEqualTo("leader resigned svc");
            assertThat(watcher.line()).isEqualTo("leader failover svc");

            // An election is a lock: the leader renews with n, the key is one resource with l.
            assertThat(b.call("n", "svc", token(second) + " 9")).isEqualTo("ok 9");
            assertThat(a.call("l", "svc", "0")).isEqualTo("timeout");
            assertThat(a.call("sl", "svc", "0 2")).isEqualTo("error_limit_mismatch");
            assertThat(a.call("resign", "svc", token(first))).isEqualTo("error");
            assertThat(a.call("resign", "svc", "0".repeat(32))).isEqualTo("error");
            assertThat(a.call("resign", "nokey", token(second))).isEqualTo("error");
            assertThat(b.call("elect", "svc", "0")).isEqualTo("timeout");
            assertThat(b.call("r", "svc", token(second))).isEqualTo("ok");
            assertThat(watcher.line()).as("r with the leader's token is a resign").isEqualTo("leader resigned svc");
            watcher.assertSilent(300);
        }
    }

    @Test
    void aLeaseThatRunsOutWithNobodyQueuedIsLost() throws Exception {
        try (RawPeer watcher = observer("svc"); RawPeer a = fx.connect()) {
            token(a.call("elect", "svc", "0 1"));
            assertThat(watcher.line()).isEqualTo("leader elected svc");
            watcher.timeout(5000);
            assertThat(watcher.line()).isEqualTo("leader lost svc");
        }
    }

    @Test
    void aLeaderThatDisconnectsFailsOverToTheQueuedCandidate() throws Exception {
        try (RawPeer watcher = observer("svc"); RawPeer b = fx.connect()) {
            RawPeer a = fx.connect();
            token(a.call("elect", "svc", "0 30"));
            b.send("elect", "svc", "10 30");
            fx.awaitLockWaiters("svc", 1);
            a.close();
            assertThat(b.line()).matches(GRANT);
            assertThat(watcher.line()).isEqualTo("leader elected svc");
            assertThat(watcher.line()).isEqualTo("leader failover svc");
            b.close();
            assertThat(watcher.line()).isEqualTo("leader lost svc");
        }
    }

    @Test
    void observeTellsOfTheCurrentLeaderOnceAndUnobserveStopsThePushes() throws Exception {
        try (RawPeer a = fx.connect(); RawPeer watcher = fx.connect()) {
            String grant = a.call("elect", "svc", "0 30");
            assertThat(watcher.call("observe", "svc", "")).isEqualTo("ok");
            assertThat(watcher.line()).isEqualTo("leader elected svc");
            assertThat(watcher.call("observe", "svc", "")).as("idempotent, nothing pushed").isEqualTo("ok");
            assertThat(watcher.call("ping", "_", "_")).isEqualTo("ok");

            assertThat(watcher.call("unobserve", "svc", "")).isEqualTo("ok");
            assertThat(a.call("resign", "svc", token(grant))).isEqualTo("ok");
            token(a.call("elect", "svc", "0"));
            watcher.assertSilent(300);
            assertThat(watcher.call("unobserve", "svc", "")).as("unobserve again").isEqualTo("ok");
        }
    }

    @Test
    void observationsAndListensShareTheSubscriptionCap() throws Exception {
        try (RawPeer c = fx.connect()) {
            assertThat(c.call("listen", "a.b", "")).isEqualTo("ok");
            assertThat(c.call("observe", "k1", "")).isEqualTo("ok");
            assertThat(c.call("observe", "k2", "")).isEqualTo("error");
            assertThat(c.call("listen", "c.d", "")).isEqualTo("error");
            assertThat(c.call("observe", "k1", "")).as("already observed").isEqualTo("ok");
            assertThat(c.call("unobserve", "k1", "")).isEqualTo("ok");
            assertThat(c.call("observe", "k2", "")).isEqualTo("ok");
            assertThat(c.call("observe", "a b", "")).isEqualTo("error");
            assertThat(c.call("elect", "k", "")).isEqualTo("error");
            assertThat(c.call("resign", "k", " ")).isEqualTo("error");
        }
    }
}
