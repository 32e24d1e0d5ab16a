package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Stats;
import io.dflockd.server.cluster.FollowerMode;
import io.dflockd.testing.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counters, entries and lists on three servers in cluster mode (Ratis over loopback gRPC), over real
 * TCP: every data command is replicated, so a change made through one node is what the others read,
 * and a pop blocked on one node receives an item pushed through another.
 */
@Tag("integration")
class ClusterDataTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private LocalCluster cluster;

    @TempDir
    Path dir;

    @BeforeEach
    void startThree() throws IOException {
        cluster = new LocalCluster(3, dir, REQUEST_TIMEOUT, FollowerMode.FORWARD);
        cluster.awaitLeader();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RawPeer connect(int node) throws IOException {
        return new RawPeer(cluster.nodes().get(node).port());
    }

    private Stats stats(int node) throws IOException {
        try (RawPeer p = connect(node)) {
            return Stats.parse(p.call("stats", "_", "_").substring(3));
        }
    }

    @Test
    void aCounterAndAListChangedThroughDifferentNodesAreOneStateEverywhere() throws Exception {
        try (RawPeer one = connect(0); RawPeer two = connect(1); RawPeer three = connect(2)) {
            assertThat(one.call("incr", "hits", "5")).isEqualTo("ok 5");
            assertThat(two.call("incr", "hits", "2")).isEqualTo("ok 7");
            assertThat(three.call("decr", "hits", "1")).isEqualTo("ok 6");
            assertThat(one.call("get", "hits", "")).isEqualTo("ok 6");

            assertThat(one.call("kset", "cfg", "v1")).isEqualTo("ok");
            assertThat(two.call("kcas", "cfg", "v1\tv2\t0")).isEqualTo("ok");
            assertThat(three.call("kcas", "cfg", "v1\tv3\t0")).isEqualTo("cas_conflict");
            assertThat(three.call("kget", "cfg", "")).isEqualTo("ok v2");

            assertThat(one.call("rpush", "jobs", "first")).isEqualTo("ok 1");
            assertThat(two.call("rpush", "jobs", "second")).isEqualTo("ok 2");
            assertThat(three.call("lrange", "jobs", "0 -1")).isEqualTo("ok [\"first\",\"second\"]");
            assertThat(three.call("lpop", "jobs", "")).isEqualTo("ok first");
            assertThat(one.call("brpop", "jobs", "5")).isEqualTo("ok second");
            assertThat(two.call("llen", "jobs", "")).isEqualTo("ok 0");

            // a pop blocked on node 2 gets the item pushed through node 1
            two.send("blpop", "jobs", "30");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stats(2).lists().stream()
                    .anyMatch(l -> l.key().equals("jobs") && l.popWaiters() == 1));
            assertThat(one.call("rpush", "jobs", "handed")).isEqualTo("ok 0");
            assertThat(two.line()).isEqualTo("ok handed");
        }
        for (int node = 0; node < 3; node++) {
            int n = node;
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Stats s = stats(n);
                assertThat(s.counters()).singleElement().satisfies(c -> assertThat(c.value()).isEqualTo(6));
                assertThat(s.kvEntries()).singleElement().satisfies(e -> assertThat(e.valueLen()).isEqualTo(2));
                assertThat(s.lists()).isEmpty();
            });
        }
    }
}
