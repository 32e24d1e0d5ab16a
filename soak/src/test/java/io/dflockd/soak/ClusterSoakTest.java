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
 * slots by the surviving nodes before that is an overlap. 32 s with a fault every 3 s after the last
 * node is back; asserts what {@link SoakTest} does plus a leader and a follower kill. Needs the
 * packaged server jar (built earlier in the reactor by {@code mvn verify}, or by the launchers).
 */
@Tag("integration") // real processes: not in the quick loop (mvn test -Pquick)
class ClusterSoakTest {
    @Test
    void threeNodeClusterKeepsEveryInvariantThroughLeaderAndFollowerKills() throws Exception {
        Path jar = Stream.of("../server/target/dflockd-server.jar", "../server/target-launch/dflockd-server.jar")
                .map(Path::of).filter(Files::isRegularFile).findFirst().orElse(null);
        assumeTrue(jar != null, "server jar not built (run mvn verify from the root)");
        SoakOptions options = SoakOptions.defaults().withCluster(3, jar)
                .withTiming(Duration.ofSeconds(32), Duration.ofSeconds(3));

        SoakResult result = SoakRunner.run(options);

        System.out.println(result.summary());
        SoakAssertions.greenWithEveryKindOfWork(result, 3);
        assertThat(result.counter("faults.kill_leader")).isPositive();
        assertThat(result.counter("faults.kill_follower")).isPositive();
        assertThat(result.counter("connections.lost_to_restart")).isPositive();
    }
}
