package io.dflockd.testing;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.server.cluster.ClusterConfig;
import io.dflockd.server.cluster.ClusterNode;
import io.dflockd.server.cluster.ClusterPeer;
import io.dflockd.server.cluster.FollowerMode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Cluster-mode servers in this JVM on loopback ports (Ratis over gRPC, clients over real TCP), for
 * the server's and the client's cluster tests. Close it to stop the nodes still running.
 */
public final class LocalCluster implements AutoCloseable {
    private final List<ClusterPeer> peers = new ArrayList<>();
    private final List<DflockdServer> running = new ArrayList<>();

    /** Starts {@code size} nodes {@code n1…}, their Raft storage under {@code dir}. */
    public LocalCluster(int size, Path dir, Duration requestTimeout, FollowerMode mode) throws IOException {
        for (int i = 1; i <= size; i++) {
            peers.add(new ClusterPeer("n" + i, "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick()));
        }
        try {
            for (ClusterPeer p : peers) {
                running.add(ServerConfig.builder().host("127.0.0.1").port(port(p.clientAddress()))
                        .cluster(new ClusterConfig(p.id(), peers, dir.resolve(p.id()), null, requestTimeout).withFollowerMode(mode))
                        .start());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /** Every member's client address, {@code host:port}, in id order (what a client lists). */
    public String[] clientAddresses() {
        return peers.stream().map(ClusterPeer::clientAddress).toArray(String[]::new);
    }

    /** The nodes still running, in id order. */
    public List<DflockdServer> nodes() {
        return List.copyOf(running);
    }

    /** The node that leads, once one does (within 30 s). */
    public DflockdServer awaitLeader() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> running.stream()
                .filter(s -> s.clusterNode().map(ClusterNode::isLeader).orElse(false)).findFirst().orElse(null),
                s -> s != null);
    }

    /** The running nodes that do not lead (call after {@link #awaitLeader}). */
    public List<DflockdServer> followers() {
        return running.stream().filter(s -> !s.clusterNode().orElseThrow().isLeader()).toList();
    }

    /** Stops one node (its connections see the server go away). */
    public void stop(DflockdServer node) {
        node.close();
        running.remove(node);
    }

    @Override
    public void close() {
        running.forEach(DflockdServer::close);
        running.clear();
    }
}
