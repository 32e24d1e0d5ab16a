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
 * {@code bin/dflockd-soak --cluster 3}: three cluster nodes as child processes, every client on a
 * random node, and one round of every fault kind of {@link ClusterFaults} in a seeded order: the
 * leader and a follower SIGKILLed and restarted on their Raft directories, the leader SIGSTOPped for
 * 2–8 s, a node restarted with a skewed clock, the leader cut off from its peers for 5–15 s. Holds
 * through a killed node stay live in the ledger until their leases end, so any grant of their slots
 * by the surviving nodes before that is an overlap. 150 s with a fault every 2 s after the previous
 * one is over (150, not 100: a cluster data round spreads its barrier arrivals over up to 6 s so that
 * faults meet waiting parties, and most rounds overlap a fault; 100 s verified as few as 4); asserts what {@link SoakTest} does plus one fault of each kind and progress on the
 * majority side of the partition. Needs the packaged server jar (built earlier in the reactor by
 * {@code mvn verify}, or by the launchers).
 */
@Tag("integration") // real processes: not in the quick loop (mvn test -Pquick)
class ClusterSoakTest {
    @Test
    void threeNodeClusterKeepsEveryInvariantThroughEveryKindOfFault() throws Exception {
        Path jar = Stream.of("../server/target/dflockd-server.jar", "../server/target-launch/dflockd-server.jar")
                .map(Path::of).filter(Files::isRegularFile).findFirst().orElse(null);
        assumeTrue(jar != null, "server jar not built (run mvn verify from the root)");
        SoakOptions options = SoakOptions.defaults().withCluster(3, jar)
                .withTiming(Duration.ofSeconds(150), Duration.ofSeconds(2));

        SoakResult result = SoakRunner.run(options);

        System.out.println(result.summary());
        SoakAssertions.greenWithEveryKindOfWork(result, 3);
        for (String fault : new String[] {"kill_leader", "kill_follower", "pause_leader", "skewed_restart",
            "partition_leader"}) {
            assertThat(result.counter("faults." + fault)).as(fault).isPositive();
        }
        assertThat(result.counter("partition.majority_grants")).isPositive();
        assertThat(result.counter("connections.lost_to_restart")).isPositive();
    }
}
