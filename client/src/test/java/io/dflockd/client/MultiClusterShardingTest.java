package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.cluster.FollowerMode;
import io.dflockd.testing.LocalCluster;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharding over several clusters: each {@code cluster(...)} call is one shard (CLUSTER-DESIGN.md §4.5). */
class MultiClusterShardingTest {
    @TempDir
    Path dir;

    @Test
    void eachClusterIsOneShardAndAConnectionStaysInsideItsCluster() {
        ClientConfig config = ClientConfig.builder().cluster("a1:7001", "a2:7001", "a3:7001")
                .cluster("b1:7001", "b2:7001").build();
        assertThat(config.servers()).extracting(InetSocketAddress::getHostString).containsExactly("a1", "b1");
        assertThat(config.clusterMembers()).hasSize(5);
        InetSocketAddress a2 = config.clusterMembers().get(1);
        InetSocketAddress b2 = config.clusterMembers().get(4);
        assertThat(config.membersOf(a2)).extracting(InetSocketAddress::getHostString).containsExactly("a1", "a2", "a3");
        assertThat(config.candidatesFor(config.servers().get(1))).extracting(InetSocketAddress::getHostString)
                .containsExactlyInAnyOrder("b1", "b2");
        assertThat(config.membersOf(b2)).doesNotContain(a2);
        assertThat(config.membersOf(InetSocketAddress.createUnresolved("c1", 7001))).isEmpty();
        assertThat(config.toString()).contains("cluster=[a1:7001, a2:7001, a3:7001]", "cluster=[b1:7001, b2:7001]");
        Set<String> shards = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            shards.add(config.serverFor("key-" + i).getHostString());
        }
        assertThat(shards).as("keys spread over both clusters").containsExactlyInAnyOrder("a1", "b1");

        assertThatThrownBy(() -> ClientConfig.builder().cluster("a1:7001", "a2:7001").cluster("a2:7001", "c1:7001"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a2:7001 is already a member of another cluster");
        assertThat(ClientConfig.builder().cluster("a1:7001").servers("s:6388").build().clusterMembers())
                .as("servers(...) replaces the clusters").isEmpty();
    }

    @Test
    @Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
    void locksGoToTheClusterOfTheirKey() throws Exception {
        try (LocalCluster a = new LocalCluster(1, dir.resolve("a"), Duration.ofSeconds(10), FollowerMode.FORWARD);
                LocalCluster b = new LocalCluster(1, dir.resolve("b"), Duration.ofSeconds(10), FollowerMode.FORWARD)) {
            a.awaitLeader();
            b.awaitLeader();
            ClientConfig config = ClientConfig.builder().cluster(a.clientAddresses()).cluster(b.clientAddresses()).build();
            List<String> keys = List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");
            try (DflockdClient client = DflockdClient.create(config)) {
                List<DistributedLock> held = keys.stream().map(client::lock).toList();
                for (DistributedLock lock : held) {
                    assertThat(lock.acquire(Duration.ofSeconds(10))).isTrue();
                }
                int onA = heldOn(a.nodes().get(0));
                int onB = heldOn(b.nodes().get(0));
                assertThat(onA + onB).isEqualTo(keys.size());
                assertThat(onA).as("both clusters got keys").isPositive();
                assertThat(onB).isPositive();
                for (String key : keys) {
                    int port = config.serverFor(key).getPort();
                    DflockdServer owner = port == a.nodes().get(0).port() ? a.nodes().get(0) : b.nodes().get(0);
                    assertThat(heldKeys(owner)).contains(key);
                }
                for (DistributedLock lock : held) {
                    lock.release();
                }
            }
        }
    }

    private static int heldOn(DflockdServer node) {
        return heldKeys(node).size();
    }

    private static Set<String> heldKeys(DflockdServer node) {
        try (DflockdConnection c = DflockdConnection.open("127.0.0.1:" + node.port())) {
            Set<String> keys = new HashSet<>();
            c.stats().locks().forEach(l -> keys.add(l.key()));
            return keys;
        }
    }
}
