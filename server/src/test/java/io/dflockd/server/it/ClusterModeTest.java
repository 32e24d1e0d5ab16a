package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.server.cluster.ClusterConfig;
import io.dflockd.server.cluster.ClusterNode;
import io.dflockd.server.cluster.ClusterPeer;
import io.dflockd.testing.FreePort;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three servers in cluster mode in this JVM (Ratis over loopback gRPC), spoken to over real TCP with
 * the plain wire protocol, as clients that know nothing of clusters do: any node serves, a waiter
 * blocked on a follower is granted there, and a held lock outlives the leader.
 */
@Tag("integration")
class ClusterModeTest {
    private final List<DflockdServer> servers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        servers.forEach(DflockdServer::close);
    }

    private void startThree() throws IOException {
        List<ClusterPeer> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            peers.add(new ClusterPeer("n" + i, "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick()));
        }
        for (ClusterPeer p : peers) {
            int port = Integer.parseInt(p.clientAddress().substring(p.clientAddress().lastIndexOf(':') + 1));
            servers.add(ServerConfig.builder().host("127.0.0.1").port(port)
                    .cluster(new ClusterConfig(p.id(), peers, dir.resolve(p.id()), null)).start());
        }
    }

    private DflockdServer awaitLeader() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> servers.stream()
                .filter(s -> s.clusterNode().map(ClusterNode::isLeader).orElse(false)).findFirst().orElse(null),
                s -> s != null);
    }

    @Test
    void anyNodeServesAndAHeldLockOutlivesTheLeader() throws Exception {
        startThree();
        DflockdServer leader = awaitLeader();
        List<DflockdServer> followers = new ArrayList<>(servers);
        followers.remove(leader);

        try (RawPeer holder = new RawPeer(followers.get(0).port());
                RawPeer waiter = new RawPeer(followers.get(1).port());
                RawPeer prober = new RawPeer(followers.get(1).port())) {
            String[] grant = holder.call("l", "k", "0 30").split(" ");
            assertThat(grant[0]).isEqualTo("ok");
            assertThat(grant[2]).isEqualTo("30");
            waiter.send("l", "k", "60 20");
            assertThat(prober.call("l", "k", "0 30")).isEqualTo("timeout");
            assertThat(holder.call("l", "other", "0 30")).startsWith("ok ");

            leader.close();
            servers.remove(leader);

            assertThat(holder.call("n", "k", grant[1] + " 30")).as("renewed through the new leader").isEqualTo("ok 30");
            assertThat(holder.call("r", "k", grant[1])).isEqualTo("ok");
            String[] handedOver = waiter.line().split(" ");
            assertThat(handedOver[0]).isEqualTo("ok");
            assertThat(handedOver[2]).isEqualTo("20");
            assertThat(Long.parseUnsignedLong(handedOver[1].substring(0, 16), 16))
                    .isGreaterThan(Long.parseUnsignedLong(grant[1].substring(0, 16), 16));
        }
        // The holder's connection closed: its lock on "other" went with it, on every node.
        try (RawPeer late = new RawPeer(servers.get(0).port())) {
            assertThat(late.call("l", "other", "10 5")).startsWith("ok ");
        }
    }

}
