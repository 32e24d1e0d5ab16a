package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Stats;
import io.dflockd.server.DflockdServer;
import io.dflockd.server.cluster.FollowerMode;
import io.dflockd.testing.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --follower-mode redirect} (CLUSTER-DESIGN.md §4.2) over raw TCP: a follower turns lock
 * commands and {@code barrier} away with upstream's {@code error_not_leader <leader>} and keeps
 * serving {@code ping} and {@code stats}; the leader serves everything.
 */
@Tag("integration")
class ClusterRedirectTest {
    private static final String TOKEN = "0000000000000001a1b2c3d4e5f60718";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private LocalCluster cluster;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * On this loaded machine leadership may move during the test: each check runs on fresh
     * connections and is retried until it held for one whole pass.
     */
    private static void eventually(org.awaitility.core.ThrowingRunnable check) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(check);
    }

    @Test
    void aFollowerRedirectsLockCommandsAndBarrierToTheLeaderAndServesTheRestItself() throws Exception {
        cluster = new LocalCluster(3, dir, REQUEST_TIMEOUT, FollowerMode.REDIRECT);
        cluster.awaitLeader();
        eventually(() -> {
            DflockdServer leader = cluster.awaitLeader();
            String redirect = "error_not_leader 127.0.0.1:" + leader.port();
            for (DflockdServer follower : cluster.followers()) {
                try (RawPeer p = new RawPeer(follower.port())) {
                    assertThat(p.call("l", "k", "0 30")).isEqualTo(redirect);
                    assertThat(p.call("r", "k", TOKEN)).isEqualTo(redirect);
                    assertThat(p.call("n", "k", TOKEN + " 30")).isEqualTo(redirect);
                    assertThat(p.call("sl", "s", "0 3 30")).isEqualTo(redirect);
                    assertThat(p.call("e", "k", "30")).isEqualTo(redirect);
                    assertThat(p.call("w", "k", "1")).isEqualTo(redirect);
                    assertThat(p.call("k", "k", TOKEN + " 30")).isEqualTo(redirect);
                    for (String rw : new String[] {"rl", "wl"}) { // read-write locks are lock commands too
                        assertThat(p.call(rw, "rw", "0 30")).isEqualTo(redirect);
                    }
                    for (String rw : new String[] {"rr", "wr", "rn", "wn"}) {
                        assertThat(p.call(rw, "rw", TOKEN)).isEqualTo(redirect);
                    }
                    assertThat(p.call("re", "rw", "")).isEqualTo(redirect);
                    assertThat(p.call("ww", "rw", "1")).isEqualTo(redirect);
                    assertThat(p.call("elect", "k", "0 30")).isEqualTo(redirect); // an election is a lock
                    assertThat(p.call("resign", "k", TOKEN)).isEqualTo(redirect);
                    String[][] data = { // every data command is replicated, reads included
                        {"incr", "1"}, {"decr", "1"}, {"get", ""}, {"cset", "1"}, {"kset", "v"}, {"kget", ""},
                        {"kdel", ""}, {"kcas", "\tv\t0"}, {"lpush", "v"}, {"rpush", "v"}, {"lpop", ""}, {"rpop", ""},
                        {"llen", ""}, {"lrange", "0 -1"}, {"blpop", "1"}, {"brpop", "0"},
                    };
                    for (String[] d : data) {
                        assertThat(p.call(d[0], "d", d[1])).as(d[0]).isEqualTo(redirect);
                    }
                    assertThat(p.call("observe", "k", "")).as("served here: connection-local").isEqualTo("ok");
                    assertThat(p.call("unobserve", "k", "")).isEqualTo("ok");
                    assertThat(p.call("barrier", "_", "_")).isEqualTo(redirect);
                    assertThat(p.call("ping", "_", "_")).isEqualTo("ok");
                    Stats.ClusterStat c = stats(p).cluster();
                    assertThat(c.role()).isEqualTo("follower");
                    assertThat(c.followerMode()).isEqualTo("redirect");
                    assertThat(c.snapshotIndex()).isZero();
                    assertThat(c.leaderAddr()).isEqualTo("127.0.0.1:" + leader.port());
                }
            }
        });
        eventually(() -> {
            try (RawPeer onLeader = new RawPeer(cluster.awaitLeader().port())) {
                String[] grant = onLeader.call("l", "served", "0 30").split(" ");
                assertThat(grant[0]).isEqualTo("ok");
                assertThat(onLeader.call("n", "served", grant[1] + " 20")).isEqualTo("ok 20");
                assertThat(onLeader.call("barrier", "_", "_")).isEqualTo("ok");
                assertThat(onLeader.call("r", "served", grant[1])).isEqualTo("ok");
                Stats.ClusterStat c = stats(onLeader).cluster();
                assertThat(c.role()).isEqualTo("leader");
                assertThat(c.followerMode()).isEqualTo("redirect");
            }
        });
    }

    @Test
    void aFollowerThatKnowsNoLeaderAnswersABareNotLeader() throws Exception {
        cluster = new LocalCluster(3, dir, REQUEST_TIMEOUT, FollowerMode.REDIRECT);
        List<DflockdServer> nodes = cluster.nodes();
        cluster.stop(nodes.get(1));
        cluster.stop(nodes.get(2));
        // Alone, n1 stands for election again and again: no leader is known.
        eventually(() -> {
            try (RawPeer p = new RawPeer(nodes.get(0).port())) {
                assertThat(p.call("l", "k", "0 30")).isEqualTo("error_not_leader");
                assertThat(p.call("barrier", "_", "_")).isEqualTo("error_not_leader");
                assertThat(p.call("ping", "_", "_")).as("the connection stays open").isEqualTo("ok");
                assertThat(stats(p).cluster().leaderId()).isNull();
            }
        });
    }

    @Test
    void forwardModeIsShownInStats() throws Exception {
        cluster = new LocalCluster(3, dir, REQUEST_TIMEOUT, FollowerMode.FORWARD);
        cluster.awaitLeader();
        for (DflockdServer node : cluster.nodes()) {
            try (RawPeer p = new RawPeer(node.port())) {
                assertThat(stats(p).cluster().followerMode()).isEqualTo("forward");
            }
        }
    }

    private static Stats stats(RawPeer p) throws IOException {
        String reply = p.call("stats", "_", "_");
        assertThat(reply).startsWith("ok {");
        return Stats.parse(reply.substring(3));
    }
}
