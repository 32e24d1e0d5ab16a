package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.server.cluster.ClusterConfig;
import io.dflockd.server.cluster.ClusterNode;
import io.dflockd.server.cluster.ClusterPeer;
import io.dflockd.testing.FreePort;
import java.io.IOException;
import java.nio.file.Files;
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

/** {@code dflockctl cluster}: status, add, transfer and remove against three (then four) real nodes in this JVM. */
@Tag("integration")
class ClusterCommandTest {
    private static final String ADMIN = "cluster-admin-secret";
    private final List<DflockdServer> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        nodes.forEach(DflockdServer::close);
    }

    private static ClusterPeer newPeer(String id) {
        return new ClusterPeer(id, "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick());
    }

    private DflockdServer start(ClusterPeer self, ClusterConfig config) throws IOException {
        String client = self.clientAddress();
        DflockdServer s = ServerConfig.builder().host("127.0.0.1")
                .port(Integer.parseInt(client.substring(client.indexOf(':') + 1)))
                .adminToken(ADMIN).cluster(config).start();
        nodes.add(s);
        return s;
    }

    private static ClusterNode node(DflockdServer s) {
        return s.clusterNode().orElseThrow();
    }

    @Test
    void statusAddTransferAndRemoveWorkAgainstARealCluster() throws Exception {
        List<ClusterPeer> founders = List.of(newPeer("n1"), newPeer("n2"), newPeer("n3"));
        for (ClusterPeer p : founders) {
            start(p, new ClusterConfig(p.id(), founders, dir.resolve(p.id()), null));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> nodes.stream().anyMatch(s -> node(s).isLeader()));
        String servers = "--servers=" + founders.get(0).clientAddress();

        Dflockctl.Result status = Dflockctl.run(servers, "cluster", "status");
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout()).containsPattern("node n1  (leader|follower)  term \\d+  leader n\\d \\(127\\.0\\.0\\.1:\\d+\\)");
        for (ClusterPeer p : founders) {
            assertThat(status.stdout()).contains("  " + p.id() + "  raft " + p.raftAddress() + "  client " + p.clientAddress());
        }

        ClusterPeer n4 = newPeer("n4");
        DflockdServer joiner = start(n4, ClusterConfig.joining("n4", founders, dir.resolve("n4"), n4.raftAddress(),
                ClusterConfig.DEFAULT_REQUEST_TIMEOUT));
        Path tokenFile = dir.resolve("admin-token");
        Files.writeString(tokenFile, ADMIN + "\n");
        Dflockctl.Result added = Dflockctl.run(Map.of("DFLOCKD_ADMIN_TOKEN_FILE", tokenFile.toString()), servers,
                "cluster", "add", "n4", n4.raftAddress() + "@" + n4.clientAddress());
        assertThat(added.exitCode()).as(added.stderr()).isZero();
        assertThat(added.stdout()).contains("added n4 (through " + founders.get(0).clientAddress() + ")");

        Dflockctl.Result transferred = Dflockctl.run(Map.of("DFLOCKD_ADMIN_TOKEN", ADMIN), servers,
                "cluster", "transfer", "n4");
        assertThat(transferred.exitCode()).as(transferred.stderr()).isZero();
        assertThat(node(joiner).isLeader()).isTrue();
        Dflockctl.Result fromJoiner = Dflockctl.run("--servers=" + n4.clientAddress(), "cluster", "status");
        assertThat(fromJoiner.stdout()).contains("node n4  leader").contains("  n4  raft " + n4.raftAddress()
                + "  client " + n4.clientAddress() + "  leader");

        DflockdServer n3 = nodes.get(2);
        Dflockctl.Result removed = Dflockctl.run(servers, "cluster", "remove", "n3", "--admin-token-file",
                tokenFile.toString());
        assertThat(removed.exitCode()).as(removed.stderr()).isZero();
        assertThat(removed.stdout()).contains("removed n3");
        n3.terminated().get(60, java.util.concurrent.TimeUnit.SECONDS);

        Dflockctl.Result wrongToken = Dflockctl.run(Map.of("DFLOCKD_ADMIN_TOKEN", "nope"), servers,
                "cluster", "transfer", "n1");
        assertThat(wrongToken.exitCode()).isEqualTo(ExitCodes.AUTH_REJECTED);
        assertThat(wrongToken.stderr()).hasLineCount(1).contains("admin rejected");

        Dflockctl.Result refused = Dflockctl.run(Map.of("DFLOCKD_ADMIN_TOKEN", ADMIN), servers,
                "cluster", "remove", "n3");
        assertThat(refused.exitCode()).as("no longer a member").isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(refused.stderr()).hasLineCount(1).contains("answered 'error' to cluster-remove n3");
    }

    @Test
    void badInputAndAStandaloneServerGetOneLineAndAnExitCode() {
        DflockdServer standalone = TestServer.start();
        nodes.add(standalone);
        String servers = "--servers=" + TestServer.address(standalone);

        Dflockctl.Result status = Dflockctl.run(servers, "cluster", "status");
        assertThat(status.exitCode()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(status.stderr()).hasLineCount(1).contains("is not a cluster node");

        Dflockctl.Result noToken = Dflockctl.run(servers, "cluster", "remove", "n1");
        assertThat(noToken.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noToken.stderr()).hasLineCount(1).contains("the admin token is required");

        Map<String, String> token = Map.of("DFLOCKD_ADMIN_TOKEN", ADMIN);
        Dflockctl.Result badAddress = Dflockctl.run(token, servers, "cluster", "add", "n9", "127.0.0.1:7001");
        assertThat(badAddress.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badAddress.stderr()).hasLineCount(1).contains("is not raftHost:raftPort@clientHost:clientPort");

        Dflockctl.Result badId = Dflockctl.run(token, servers, "cluster", "transfer", "not an id");
        assertThat(badId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badId.stderr()).hasLineCount(1).contains("invalid node id");

        Dflockctl.Result off = Dflockctl.run(token, servers, "cluster", "transfer", "n1");
        assertThat(off.exitCode()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(off.stderr()).hasLineCount(1).contains("answered 'error' to admin");

        Dflockctl.Result none = Dflockctl.run(servers, "cluster");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.stderr()).contains("a subcommand is required: status, add, remove or transfer");
    }
}
