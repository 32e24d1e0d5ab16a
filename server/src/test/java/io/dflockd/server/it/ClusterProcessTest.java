package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.testing.FreePort;
import io.dflockd.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three cluster nodes as real processes ({@code io.dflockd.server.Main} with the cluster flags); the
 * leader is SIGKILLed while a lock is held and a waiter queues, both through followers.
 */
@Tag("integration")
class ClusterProcessTest {
    private static final Pattern LEADER = Pattern.compile("the cluster's leader is now (n\\d)");
    private static final Pattern MEMBERSHIP = Pattern.compile("cluster membership|setConfiguration");
    private final List<ServerProcess> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        for (ServerProcess p : nodes) {
            // In the test report: what each node said, for a failure's diagnosis.
            p.drainOutput().forEach(l -> System.out.println("[n" + (nodes.indexOf(p) + 1) + "] " + l));
            p.close();
        }
    }

    /** Starts nodes n1-n3 with {@code flags} added; returns their client ports. */
    private int[] startThree(String... flags) throws Exception {
        int[] raft = new int[3];
        int[] client = new int[3];
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            raft[i] = FreePort.pick();
            client[i] = FreePort.pick();
            peers.append(i == 0 ? "" : ",").append("n").append(i + 1).append("=127.0.0.1:").append(raft[i])
                    .append("@127.0.0.1:").append(client[i]);
        }
        for (int i = 0; i < 3; i++) {
            List<String> args = new ArrayList<>(List.of("--raft-dir", dir.resolve("n" + (i + 1)).toString(),
                    "--node-id", "n" + (i + 1), "--cluster-peers", peers.toString()));
            args.addAll(List.of(flags));
            nodes.add(ServerProcess.startOn(client[i], args.toArray(String[]::new)));
        }
        return client;
    }

    /**
     * Both survivors must be replicas when the leader dies: Ratis does not count the vote of a node
     * whose log is still empty once the candidate has commits (RATIS-1995, against a re-formatted
     * disk electing a leader that lacks committed entries). A node that started late and never
     * received an entry therefore cannot help elect a leader, and the other survivor alone is no
     * majority: no leader until the dead node returns (CLUSTER-DESIGN.md §4.6). So the test waits, with
     * a barrier on each survivor, until both have applied what was committed before the kill.
     */
    @Test
    void aHeldLockAndAWaiterSurviveASigkillOfTheLeader() throws Exception {
        int[] client = startThree("--cluster-request-timeout", "30");
        Matcher m = nodes.get(0).awaitLine(LEADER, Duration.ofSeconds(60));
        int leader = Integer.parseInt(m.group(1).substring(1)) - 1;
        int a = (leader + 1) % 3;
        int b = (leader + 2) % 3;

        try (RawPeer holder = new RawPeer(client[a]); RawPeer waiter = new RawPeer(client[b])) {
            String[] grant = holder.call("l", "k", "10 30").split(" ");
            assertThat(grant[0]).isEqualTo("ok");
            waiter.send("l", "k", "60 30");
            for (int survivor : new int[] {a, b}) {
                try (RawPeer sync = new RawPeer(client[survivor])) {
                    sync.timeout(40_000);
                    // A node that knows no leader yet (slow to start on a loaded machine) answers error at once.
                    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                            .until(() -> sync.call("barrier", "_", "_"), "ok"::equals);
                }
            }

            nodes.get(leader).kill();
            holder.timeout(40_000); // the failover may take seconds on a loaded machine
            waiter.timeout(40_000);

            assertThat(holder.call("n", "k", grant[1] + " 30")).isEqualTo("ok 30");
            assertThat(holder.call("r", "k", grant[1])).isEqualTo("ok");
            String[] next = waiter.line().split(" ");
            assertThat(next[0]).isEqualTo("ok");
            assertThat(next[1].compareTo(grant[1])).as("a larger fence").isPositive();
        }
    }

    /**
     * CLUSTER-DESIGN.md §4.6 with real processes: a removed node exits 0 with "removed from the
     * cluster". (The hand-over of a stopping leader is ClusterMembershipTest's: with three JVMs on a
     * loaded machine the leadership moves by itself too often to tell the two apart here.)
     */
    @Test
    void aRemovedNodeExitsZero() throws Exception {
        int[] client = startThree("--admin-token", "adm");
        Matcher m = nodes.get(0).awaitLine(LEADER, Duration.ofSeconds(60));
        int leader = Integer.parseInt(m.group(1).substring(1)) - 1;
        int removed = (leader + 1) % 3; // a follower: removing the leader makes it step down first
        int other = (leader + 2) % 3;

        try (RawPeer admin = new RawPeer(client[other])) {
            admin.timeout(90_000);
            assertThat(admin.call("admin", "_", "adm")).isEqualTo("ok");
            assertThat(admin.call("cluster-remove", "n" + (removed + 1), "_"))
                    .as(() -> "what the node said: " + nodes.get(other).pendingLines(MEMBERSHIP))
                    .isEqualTo("ok");
        }
        nodes.get(removed).awaitLine(Pattern.compile("removed from the cluster"), Duration.ofSeconds(60));
        assertThat(nodes.get(removed).awaitExit(Duration.ofSeconds(60))).isZero();
    }

}
