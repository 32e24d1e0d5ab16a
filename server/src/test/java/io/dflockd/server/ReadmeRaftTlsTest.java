package io.dflockd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.server.cluster.ClusterNode;
import io.dflockd.server.cluster.ClusterStatus;
import io.dflockd.testing.FreePort;
import io.dflockd.testing.ReadmeExamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs README.md's {@code ```sh raft-tls} block (openssl: a CA and certificates for n1..n3) with bash,
 * its addresses 10.0.0.x moved to the loopback addresses 127.0.0.x, then starts three servers with
 * the README's {@code --raft-tls-*} flags on those files: they must form a cluster, every node
 * seeing the same leader, which needs every handshake (certificates both ways, host names) to pass.
 */
@Tag("integration")
class ReadmeRaftTlsTest {
    private final List<DflockdServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(DflockdServer::close);
    }

    @Test
    void theReadmesOpensslCommandsMakeCertificatesAClusterAccepts(@TempDir Path dir) throws Exception {
        List<String> blocks = ReadmeExamples.blocks("sh raft-tls");
        assertThat(blocks).as("README's raft-tls block").hasSize(1);
        Path script = dir.resolve("certs.sh");
        Files.writeString(script, "set -euo pipefail\n" + blocks.get(0).replace("10.0.0.", "127.0.0."));
        Process bash = new ProcessBuilder("bash", script.toString()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();

        StringBuilder peers = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            String host = "127.0.0." + i;
            peers.append(i > 1 ? "," : "").append("n").append(i).append('=').append(host).append(':')
                    .append(FreePort.pick()).append('@').append(host).append(':').append(FreePort.pick());
        }
        for (int i = 1; i <= 3; i++) {
            String id = "n" + i;
            String client = peers.toString().split(",")[i - 1].split("@")[1];
            ServerConfig config = Main.parseConfig(new String[] {"--host", "127.0.0." + i,
                "--port", client.substring(client.indexOf(':') + 1), "--raft-dir", dir.resolve("raft-" + id).toString(),
                "--node-id", id, "--raft-tls-cert", dir.resolve(id + ".crt").toString(),
                "--raft-tls-key", dir.resolve(id + ".key").toString(), "--raft-tls-ca", dir.resolve("ca.crt").toString(),
                "--cluster-peers", peers.toString()}, Map.of());
            assertThat(config.cluster().tls()).isNotNull();
            servers.add(DflockdServer.start(config));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> servers.stream()
                .map(s -> s.clusterNode().map(ClusterNode::status).map(ClusterStatus::leaderId).orElse(null))
                .distinct().toList(), leaders -> leaders.size() == 1 && leaders.get(0) != null);
    }
}
