package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.protocol.Stats;
import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.server.cluster.ClusterConfig;
import io.dflockd.server.cluster.ClusterPeer;
import io.dflockd.testing.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ClientConfig.cluster(...)} against three cluster nodes in this JVM: when the node a held
 * lock's connection goes to dies, the client renews the lock by its token through another member;
 * the lease is not reported lost, nobody else gets the lock, and it releases normally.
 */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class ClusterFailoverTest {
    private final List<DflockdServer> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        nodes.forEach(DflockdServer::close);
    }

    @Test
    void aHeldLockSurvivesTheDeathOfItsConnectionsNode() throws Exception {
        List<ClusterPeer> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            peers.add(new ClusterPeer("n" + i, "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick()));
        }
        String[] members = new String[3];
        for (int i = 0; i < 3; i++) {
            ClusterPeer p = peers.get(i);
            int port = Integer.parseInt(p.clientAddress().substring(p.clientAddress().indexOf(':') + 1));
            nodes.add(ServerConfig.builder().host("127.0.0.1").port(port)
                    .cluster(new ClusterConfig(p.id(), peers, dir.resolve(p.id()), null)).start());
            members[i] = p.clientAddress();
        }
        ClientConfig config = ClientConfig.builder().cluster(members).connectTimeout(Duration.ofSeconds(2)).build();
        assertThat(config.servers()).hasSize(1);
        assertThat(config.clusterMembers()).hasSize(3);

        try (DistributedLock lock = DistributedLock.builder("failover").config(config).leaseTtl(Duration.ofSeconds(4))
                .build().acquireOrThrow();
                DistributedLock rival = DistributedLock.builder("failover").config(config).build()) {
            String token = lock.token();
            DflockdServer itsNode = nodeWithOneConnection(nodes);
            itsNode.close();
            nodes.remove(itsNode);

            // Three lease lengths later: renewed through the survivors all along.
            long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            while (System.nanoTime() < until) {
                assertThat(lock.leaseLost()).as("the lease was never lost").isNotDone();
                assertThat(rival.acquire(Duration.ZERO)).as("nobody else gets it").isFalse();
                Thread.sleep(500);
            }
            assertThat(lock.isHeld()).isTrue();
            assertThat(lock.token()).isEqualTo(token);
            lock.release();
            await().atMost(Duration.ofSeconds(10)).until(() -> rival.acquire(Duration.ZERO));
        }
    }

    /** The node that has exactly one client connection: the lock's (stats opens a second one). */
    static DflockdServer nodeWithOneConnection(List<DflockdServer> nodes) {
        for (DflockdServer n : nodes) {
            try (DflockdConnection c = DflockdConnection.open(ClientConfig.builder().server("127.0.0.1:" + n.port())
                    .build())) {
                Stats s = c.stats();
                if (s.connections() == 2) {
                    return n;
                }
            }
        }
        throw new AssertionError("no node holds the lock's connection");
    }
}
