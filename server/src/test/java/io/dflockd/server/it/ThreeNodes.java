package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Stats;
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

/** Three servers in cluster mode in this JVM (Ratis over loopback gRPC), with real client ports. */
final class ThreeNodes implements AutoCloseable {
    /** The running servers; a test that closes one removes it. */
    final List<DflockdServer> servers = new ArrayList<>();

    /** Starts n1-n3 under {@code dir} with {@code --orphan-ttl} {@code orphanTtl} and the given request timeout. */
    void start(Path dir, Duration orphanTtl, Duration requestTimeout) throws IOException {
        List<ClusterPeer> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            peers.add(new ClusterPeer("n" + i, "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick()));
        }
        for (ClusterPeer p : peers) {
            int port = Integer.parseInt(p.clientAddress().substring(p.clientAddress().lastIndexOf(':') + 1));
            servers.add(ServerConfig.builder().host("127.0.0.1").port(port)
                    .cluster(new ClusterConfig(p.id(), peers, dir.resolve(p.id()), null, requestTimeout)
                            .withStableRefs(orphanTtl, null)).start());
        }
    }

    DflockdServer awaitLeader() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> servers.stream()
                .filter(s -> s.clusterNode().map(ClusterNode::isLeader).orElse(false)).findFirst().orElse(null),
                s -> s != null);
    }

    /** {@code stats} of {@code server}, over a connection of its own. */
    static Stats stats(DflockdServer server) throws IOException {
        try (RawPeer p = new RawPeer(server.port())) {
            String reply = p.call("stats", "_", "_");
            assertThat(reply).startsWith("ok {");
            return Stats.parse(reply.substring(3));
        }
    }

    @Override
    public void close() {
        servers.forEach(DflockdServer::close);
    }
}
