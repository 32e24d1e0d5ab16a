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
    private final List<ServerProcess> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        for (ServerProcess p : nodes) {
            p.close();
        }
    }

    @Test
    void aHeldLockAndAWaiterSurviveASigkillOfTheLeader() throws Exception {
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
            nodes.add(ServerProcess.startOn(client[i], "--raft-dir", dir.resolve("n" + (i + 1)).toString(),
                    "--node-id", "n" + (i + 1), "--cluster-peers", peers.toString(),
                    "--cluster-request-timeout", "30"));
        }
        Matcher m = nodes.get(0).awaitLine(LEADER, Duration.ofSeconds(60));
        int leader = Integer.parseInt(m.group(1).substring(1)) - 1;
        int a = (leader + 1) % 3;
        int b = (leader + 2) % 3;

        try (RawPeer holder = new RawPeer(client[a]); RawPeer waiter = new RawPeer(client[b])) {
            String[] grant = holder.call("l", "k", "10 30").split(" ");
            assertThat(grant[0]).isEqualTo("ok");
            waiter.send("l", "k", "60 30");

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

}
