package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.server.DflockdServer;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLUSTER-DESIGN.md §3.5 over TCP on three cluster nodes: a client with a stable reference that
 * closes its connection while it waits at a barrier keeps its party there, and its next connection
 * (on another node) re-sends {@code bwait} and is counted once: the barrier of 3 releases when the
 * third real party arrives, whether it tripped before the re-send or after.
 */
@Tag("integration")
class OrphanPartyClusterTest {
    private final ThreeNodes cluster = new ThreeNodes();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aClientThatReconnectsToABarrierIsCountedOnceAndReleasedWithTheOthers() throws Exception {
        cluster.start(dir, Duration.ofSeconds(30), Duration.ofSeconds(2));
        cluster.awaitLeader();
        DflockdServer nodeA = cluster.servers.get(0);
        DflockdServer nodeB = cluster.servers.get(1);
        DflockdServer nodeC = cluster.servers.get(2);
        try (RawPeer other = new RawPeer(nodeB.port()); RawPeer third = new RawPeer(nodeB.port());
                RawPeer again = new RawPeer(nodeC.port())) {
            for (RawPeer p : new RawPeer[] {other, third, again}) {
                p.timeout(30_000); // every answer waits for a commit, on a machine that may be loaded
            }
            other.send("bwait", "stage", "3 60");
            String token;
            try (RawPeer first = new RawPeer(nodeA.port())) {
                first.timeout(30_000);
                assertThat(first.call("stable-ref", "worker-1", "_")).isEqualTo("ok");
                token = first.call("l", "held", "0 30").split(" ")[1];
                first.send("bwait", "stage", "3 60");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ThreeNodes.stats(nodeC).barriers()
                        .stream().anyMatch(b -> b.key().equals("stage") && b.participants() == 2));
            }
            assertThat(again.call("stable-ref", "worker-1", "_")).isEqualTo("ok");
            // The lock the client held answers its re-sent l once the cluster applied the close: taken over.
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> again.call("l", "held", "0 30").equals("ok " + token + " 30"));
            assertThat(ThreeNodes.stats(nodeC).barriers()).as("the orphan's party is still there")
                    .anyMatch(b -> b.key().equals("stage") && b.participants() == 2);

            again.send("bwait", "stage", "3 60");
            assertThat(third.call("bwait", "stage", "3 60")).isEqualTo("ok");
            assertThat(again.line()).isEqualTo("ok");
            assertThat(other.line()).isEqualTo("ok");
            assertThat(ThreeNodes.stats(nodeA).barriers()).as("one round: no party left waiting").isEmpty();
        }
    }
}
