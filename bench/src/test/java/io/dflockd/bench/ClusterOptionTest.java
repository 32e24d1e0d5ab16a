package io.dflockd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dflockd.bench.cli.BenchCli;
import io.dflockd.server.cluster.FollowerMode;
import io.dflockd.testing.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --cluster}: the library sessions start at any member of a redirect-mode cluster and follow to the leader. */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class ClusterOptionTest {
    @TempDir
    Path dir;

    @Test
    void locksRunAgainstARedirectModeCluster() throws Exception {
        try (LocalCluster cluster = new LocalCluster(3, dir, Duration.ofSeconds(10), FollowerMode.REDIRECT)) {
            cluster.awaitLeader();
            String members = String.join(",", cluster.clientAddresses());
            // An election on this loaded machine may turn a call away; the run is repeated until clean.
            Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int rc = BenchCli.execute(new String[] {"locks", "-w", "2", "-r", "10", "--warmup", "2", "--cluster",
                    members, "--json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
                assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
                JsonNode r = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8).strip());
                assertThat(r.get("errors").asLong()).as(r.path("first_error").asText()).isZero();
                assertThat(r.get("operations").asLong()).isEqualTo(20);
                assertThat(r.get("servers").asText()).isEqualTo(members);
            });
        }
    }
}
