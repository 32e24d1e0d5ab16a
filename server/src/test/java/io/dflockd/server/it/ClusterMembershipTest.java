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
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership changes over the wire (PROTOCOL.md §6.12, CLUSTER-DESIGN.md §4.6): three nodes in this
 * JVM, a fourth started with {@code --cluster-join} and added while a lock is held, leadership handed
 * to it, a founding member removed; and the admin gate in front of it all.
 */
@Tag("integration")
class ClusterMembershipTest {
    private static final String ADMIN = "let-me-in";
    private static final Duration SLOW = Duration.ofSeconds(60);
    private final List<DflockdServer> servers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        servers.forEach(DflockdServer::close);
    }

    private static ClusterPeer newPeer(String id) {
        return new ClusterPeer(id, "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick());
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private DflockdServer start(ClusterPeer self, ClusterConfig cluster) throws IOException {
        DflockdServer s = ServerConfig.builder().host("127.0.0.1").port(port(self.clientAddress()))
                .adminToken(ADMIN).cluster(cluster).start();
        servers.add(s);
        return s;
    }

    private List<ClusterPeer> startThree() throws IOException {
        List<ClusterPeer> peers = List.of(newPeer("n1"), newPeer("n2"), newPeer("n3"));
        for (ClusterPeer p : peers) {
            start(p, new ClusterConfig(p.id(), peers, dir.resolve(p.id()), null));
        }
        return peers;
    }

    private DflockdServer awaitLeader() {
        return Awaitility.await().atMost(SLOW).until(() -> servers.stream()
                .filter(s -> s.clusterNode().map(ClusterNode::isLeader).orElse(false)).findFirst().orElse(null),
                s -> s != null);
    }

    private static ClusterNode node(DflockdServer s) {
        return s.clusterNode().orElseThrow();
    }

    private static Stats stats(DflockdServer server) throws IOException {
        try (RawPeer p = new RawPeer(server.port())) {
            return Stats.parse(p.call("stats", "_", "_").substring(3));
        }
    }

    private static long fence(String grant) {
        return Long.parseUnsignedLong(grant.split(" ")[1].substring(0, 16), 16);
    }

    /** An elevated admin connection to {@code server}. */
    private static RawPeer admin(DflockdServer server) throws IOException {
        RawPeer p = new RawPeer(server.port());
        p.timeout(90_000); // an add waits until the new node has caught up
        assertThat(p.call("admin", "_", ADMIN)).isEqualTo("ok");
        return p;
    }

    @Test
    void aJoiningNodeIsAddedCatchesUpLeadsAndAFoundingMemberIsRemoved() throws Exception {
        List<ClusterPeer> founders = startThree();
        DflockdServer leader = awaitLeader();
        DflockdServer follower = servers.stream().filter(s -> s != leader).findFirst().orElseThrow();

        try (RawPeer holder = new RawPeer(follower.port()); RawPeer ops = admin(follower)) {
            String grant = holder.call("l", "k", "0 60");
            assertThat(grant).startsWith("ok ");

            // n4 knows the founders only as whom to reach; its own group starts empty.
            ClusterPeer n4 = newPeer("n4");
            DflockdServer joiner = start(n4, ClusterConfig.joining("n4", founders, dir.resolve("n4"), n4.raftAddress(),
                    ClusterConfig.DEFAULT_REQUEST_TIMEOUT));
            assertThat(ops.call("cluster-add", "n4", n4.raftAddress() + "@" + n4.clientAddress())).isEqualTo("ok");

            for (DflockdServer s : servers) {
                Awaitility.await().atMost(SLOW).untilAsserted(() -> assertThat(stats(s).cluster().voters())
                        .extracting(Stats.VoterStat::id, Stats.VoterStat::clientAddr)
                        .contains(org.assertj.core.groups.Tuple.tuple("n4", n4.clientAddress())));
                assertThat(node(s).clientAddressOf("n4")).isEqualTo(n4.clientAddress());
            }
            Awaitility.await().atMost(SLOW).until(() -> stats(joiner).lock("k").isPresent());
            assertThat(ops.call("cluster-add", "n4", n4.raftAddress() + "@" + n4.clientAddress()))
                    .as("adding a member again changes nothing").isEqualTo("ok");

            try (RawPeer waiter = new RawPeer(joiner.port())) {
                waiter.timeout(60_000);
                waiter.send("l", "k", "50 60");
                Awaitility.await().atMost(SLOW).until(() -> stats(joiner).lock("k").orElseThrow().waiters() == 1);
                assertThat(holder.call("r", "k", grant.split(" ")[1])).isEqualTo("ok");
                String handedOver = waiter.line();
                assertThat(handedOver).startsWith("ok ");
                assertThat(fence(handedOver)).isGreaterThan(fence(grant));

                assertThat(ops.call("cluster-transfer", "n4", "_")).isEqualTo("ok");
                Awaitility.await().atMost(SLOW).until(() -> node(joiner).isLeader());
                assertThat(stats(follower).cluster().leaderAddr()).isEqualTo(n4.clientAddress());

                // Remove a founder that is neither the admin's node nor the new leader.
                DflockdServer removed = servers.stream().filter(s -> s != follower && s != joiner)
                        .findFirst().orElseThrow();
                String removedId = node(removed).nodeId();
                assertThat(ops.call("cluster-remove", removedId, "_")).isEqualTo("ok");
                removed.terminated().get(60, java.util.concurrent.TimeUnit.SECONDS);
                servers.remove(removed);
                for (DflockdServer s : servers) {
                    Awaitility.await().atMost(SLOW).untilAsserted(() -> assertThat(stats(s).cluster().voters())
                            .extracting(Stats.VoterStat::id).doesNotContain(removedId).hasSize(3));
                }

                // The remaining three keep the lock, and its fences keep increasing.
                try (RawPeer other = new RawPeer(follower.port())) {
                    assertThat(other.call("l", "k", "0 30")).isEqualTo("timeout");
                    assertThat(waiter.call("r", "k", handedOver.split(" ")[1])).isEqualTo("ok");
                    String next = other.call("l", "k", "0 30");
                    assertThat(next).startsWith("ok ");
                    assertThat(fence(next)).isGreaterThan(fence(handedOver));
                }
            }
            assertThat(ops.call("cluster-remove", "nobody", "_")).as("not a member").isEqualTo("error");
            assertThat(ops.call("cluster-transfer", "nobody", "_")).isEqualTo("error");
            assertThat(ops.call("ping", "_", "_")).isEqualTo("ok");
        }
    }

    /**
     * Removing the leader itself: it commits the configuration without itself and closes its Raft
     * server with no notice from an election (as a removed follower gets), yet stops as any removed
     * node does; the other two elect a leader and keep the lock.
     */
    @Test
    void aRemovedLeaderStopsByItselfAndTheOthersKeepTheLocks() throws Exception {
        startThree();
        DflockdServer leader = awaitLeader();
        List<DflockdServer> followers = servers.stream().filter(s -> s != leader).toList();
        try (RawPeer holder = new RawPeer(followers.get(0).port()); RawPeer ops = admin(followers.get(1))) {
            String grant = holder.call("l", "k", "0 60");
            assertThat(grant).startsWith("ok ");
            assertThat(ops.call("cluster-remove", node(leader).nodeId(), "_")).isEqualTo("ok");
            leader.terminated().get(60, java.util.concurrent.TimeUnit.SECONDS);
            servers.remove(leader);
            for (DflockdServer s : servers) {
                Awaitility.await().atMost(SLOW).untilAsserted(() -> assertThat(stats(s).cluster().voters())
                        .extracting(Stats.VoterStat::id)
                        .containsExactlyInAnyOrder(node(followers.get(0)).nodeId(), node(followers.get(1)).nodeId()));
            }
            holder.timeout(60_000); // the two elect a leader first
            assertThat(holder.call("r", "k", grant.split(" ")[1])).isEqualTo("ok");
        }
    }

    @Test
    void aGracefullyStoppedLeaderHandsTheLeadershipOverBeforeItDrains() throws Exception {
        startThree();
        DflockdServer leader = awaitLeader();
        // Everyone applied something, so the hand-over has a caught-up follower to choose.
        try (RawPeer p = new RawPeer(leader.port())) {
            assertThat(p.call("l", "warm", "0 30")).startsWith("ok ");
        }
        leader = awaitLeader(); // again: a loaded machine may have moved the leadership meanwhile
        leader.shutdownGracefully(Duration.ofSeconds(5));
        servers.remove(leader);
        // Without the hand-over the others would still wait out an election timeout (500-1000 ms) here.
        assertThat(servers.stream().filter(s -> node(s).isLeader()).count())
                .as("a new leader the moment the old one stopped").isEqualTo(1);
    }

    @Test
    void theMembershipCommandsNeedTheAdminToken() throws Exception {
        startThree();
        DflockdServer leader = awaitLeader();
        try (RawPeer p = new RawPeer(leader.port())) {
            assertThat(p.call("cluster-remove", "n1", "_")).isEqualTo("error_auth");
            assertThat(p.call("cluster-transfer", "n2", "_")).isEqualTo("error_auth");
            assertThat(p.call("cluster-add", "n9", "127.0.0.1:1@127.0.0.1:2")).isEqualTo("error_auth");
            assertThat(p.call("ping", "_", "_")).as("the connection stays open").isEqualTo("ok");
            assertThat(p.call("admin", "_", "wrong")).isEqualTo("error_auth");
            assertThat(p.closedByServer()).isTrue();
        }
        try (RawPeer p = admin(leader)) {
            assertThat(p.call("cluster-add", "bad id", "127.0.0.1:1@127.0.0.1:2")).isEqualTo("error");
            assertThat(p.call("cluster-add", "n9", "127.0.0.1:1")).isEqualTo("error");
            assertThat(p.call("cluster-add", "n9", "127.0.0.1:0@127.0.0.1:2")).isEqualTo("error");
            assertThat(p.call("cluster-add", "n1", "127.0.0.1:1@127.0.0.1:2"))
                    .as("an existing id with another address").isEqualTo("error");
        }
        for (DflockdServer s : servers) {
            assertThat(stats(s).cluster().voters()).hasSize(3);
        }
    }

    @Test
    void withoutAnAdminTokenOrStandaloneTheCommandsAreAnsweredError() throws Exception {
        ClusterPeer solo = newPeer("solo");
        DflockdServer node = ServerConfig.builder().host("127.0.0.1").port(port(solo.clientAddress()))
                .cluster(new ClusterConfig("solo", List.of(solo), dir.resolve("solo"), null)).start();
        servers.add(node);
        DflockdServer standalone = ServerConfig.builder().host("127.0.0.1").port(0).start();
        servers.add(standalone);
        for (DflockdServer s : List.of(node, standalone)) {
            try (RawPeer p = new RawPeer(s.port())) {
                assertThat(p.call("admin", "_", ADMIN)).isEqualTo("error");
                assertThat(p.call("cluster-add", "n9", "127.0.0.1:1@127.0.0.1:2")).isEqualTo("error");
                assertThat(p.call("cluster-remove", "solo", "_")).isEqualTo("error");
                assertThat(p.call("cluster-transfer", "solo", "_")).isEqualTo("error");
                assertThat(p.call("ping", "_", "_")).isEqualTo("ok");
            }
        }
        assertThat(Optional.ofNullable(node(node).clientAddressOf("solo"))).contains(solo.clientAddress());
    }
}
