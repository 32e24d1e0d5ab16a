package io.dflockd.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/dflockd-soak --cluster 3}: three cluster nodes as child processes, the leader and a
 * follower SIGKILLed in turn and restarted on their Raft directories, every client on a random node.
 * Holds through a killed node stay live in the ledger until their leases end, so any grant of their
 * slots by the surviving nodes before that is an overlap. Needs the packaged server jar (built earlier
 * in the reactor by {@code mvn verify}, or by the launchers).
 */
@Tag("integration") // real processes: not in the quick loop (mvn test -Pquick)
class ClusterSoakTest {
    @Test
    void threeNodeClusterKeepsEveryInvariantThroughLeaderAndFollowerKills() throws Exception {
        Path jar = Stream.of("../server/target/dflockd-server.jar", "../server/target-launch/dflockd-server.jar")
                .map(Path::of).filter(Files::isRegularFile).findFirst().orElse(null);
        assumeTrue(jar != null, "server jar not built (run mvn verify from the root)");
        SoakOptions options = SoakOptions.defaults().withCluster(3, jar)
                .withTiming(Duration.ofSeconds(36), Duration.ofSeconds(3));

        SoakResult result = SoakRunner.run(options);

        System.out.println(result.summary());
        assertThat(result.violation()).as(result.summary()).isNull();
        assertThat(result.counter("restarts")).isGreaterThanOrEqualTo(2);
        assertThat(result.counter("faults.kill_leader")).isPositive();
        assertThat(result.counter("faults.kill_follower")).isPositive();
        assertThat(result.counter("connections.lost_to_restart")).isPositive();
        assertThat(result.sum("op.")).isGreaterThan(200);
        for (String op : new String[] {"op.l", "op.sl", "op.e", "op.se", "op.w", "op.r", "op.n",
            "op.abrupt_disconnect", "forced_expiries"}) {
            assertThat(result.counter(op)).as(op).isPositive();
        }
        assertThat(result.counter("outcome.granted")).isPositive();
        assertThat(result.counter("writes.accepted")).isPositive();
        assertThat(result.counter("checks.overlap")).isPositive();
        assertThat(result.counter("checks.fence")).isPositive();
        assertThat(result.counter("checks.fifo_pairs")).isPositive();
        assertThat(result.counter("signals.deliveries_checked")).isPositive();
        assertThat(result.counter("checks.quiesce_servers_clean")).isEqualTo(3);
        assertThat(result.counter("overlaps")).isZero();
    }
}
