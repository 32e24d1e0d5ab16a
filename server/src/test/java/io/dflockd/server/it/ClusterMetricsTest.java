package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.server.cluster.ClusterConfig;
import io.dflockd.server.cluster.ClusterNode;
import io.dflockd.server.cluster.ClusterPeer;
import io.dflockd.testing.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raft metrics of three cluster nodes in this JVM, each with its HTTP port, scraped over HTTP. */
@Tag("integration")
class ClusterMetricsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> ROLES = List.of("leader", "follower", "candidate", "listener");
    private final List<DflockdServer> servers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        servers.forEach(DflockdServer::close);
    }

    private static Map<String, Double> metrics(DflockdServer s) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return HttpPortTest.parse(r.body());
    }

    private static double role(Map<String, Double> m, String role) {
        return m.get("dflockd_raft_role{role=\"" + role + "\"}");
    }

    private List<Map<String, Double>> scrapeAll() throws Exception {
        List<Map<String, Double>> all = new ArrayList<>();
        for (DflockdServer s : servers) {
            all.add(metrics(s));
        }
        return all;
    }

    /**
     * Every node sees the same term, exactly one reports leader, and every one has counted a leader
     * change (Ratis tells the state machine of a new leader a little after the role changes).
     */
    private static boolean settled(List<Map<String, Double>> all) {
        if (all.stream().anyMatch(m -> m.get("dflockd_raft_leader_changes_total") < 1)) {
            return false;
        }
        long leaders = all.stream().filter(m -> role(m, "leader") == 1.0).count();
        long terms = all.stream().map(m -> m.get("dflockd_raft_term")).distinct().count();
        long followers = all.stream().filter(m -> role(m, "follower") == 1.0).count();
        return leaders == 1 && followers == all.size() - 1 && terms == 1;
    }

    @Test
    void exactlyOneLeaderOneTermAndTheAppliedIndexFollowsLockTraffic() throws Exception {
        List<ClusterPeer> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            peers.add(new ClusterPeer("n" + i, "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick()));
        }
        for (ClusterPeer p : peers) {
            int port = Integer.parseInt(p.clientAddress().substring(p.clientAddress().lastIndexOf(':') + 1));
            servers.add(ServerConfig.builder().host("127.0.0.1").port(port).httpAnyFreePort()
                    .cluster(new ClusterConfig(p.id(), peers, dir.resolve(p.id()), null, Duration.ofSeconds(2)))
                    .start());
        }
        List<Map<String, Double>> all = Awaitility.await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(this::scrapeAll, ClusterMetricsTest::settled);
        for (int i = 0; i < servers.size(); i++) {
            Map<String, Double> m = all.get(i);
            boolean leader = servers.get(i).clusterNode().map(ClusterNode::isLeader).orElse(false);
            assertThat(role(m, "leader")).as("node %d agrees with isLeader()", i).isEqualTo(leader ? 1.0 : 0.0);
            assertThat(ROLES.stream().mapToDouble(r -> role(m, r)).sum()).as("one role at a time").isEqualTo(1.0);
            assertThat(m.get("dflockd_raft_term")).isPositive();
            assertThat(m.get("dflockd_raft_leader_changes_total")).as("saw the first election").isGreaterThanOrEqualTo(1.0);
            assertThat(m.get("dflockd_raft_applied_index")).isLessThanOrEqualTo(m.get("dflockd_raft_commit_index"));
            assertThat(m).containsKey("dflockd_http_sessions");
        }

        DflockdServer node = servers.get(0);
        double before = metrics(node).get("dflockd_raft_applied_index");
        try (RawPeer client = new RawPeer(node.port())) {
            String[] grant = client.call("l", "k", "0 30").split(" ");
            assertThat(grant[0]).isEqualTo("ok");
            assertThat(client.call("r", "k", grant[1])).isEqualTo("ok");
        }
        // The grant and the release were applied on this node before it answered them; every node
        // applies the same entries.
        Map<String, Double> after = metrics(node);
        assertThat(after.get("dflockd_raft_applied_index")).isGreaterThanOrEqualTo(before + 2);
        assertThat(after.get("dflockd_raft_commit_index")).isGreaterThanOrEqualTo(after.get("dflockd_raft_applied_index"));
        double applied = after.get("dflockd_raft_applied_index");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (DflockdServer s : servers) {
                if (metrics(s).get("dflockd_raft_applied_index") < applied) {
                    return false;
                }
            }
            return true;
        });
    }
}
