package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.testing.RefusedPort;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How a cluster connection treats {@code error_not_leader} (CLUSTER-DESIGN.md §4.5), against fake
 * nodes that speak the protocol: it follows only to listed members, at most three times per call.
 */
class RedirectFollowingTest {
    private static final String TOKEN = "0000000000000001a1b2c3d4e5f60718";
    private static final String GRANT = "ok " + TOKEN + " 33\n";

    @Test
    void aRedirectToAnUnlistedAddressIsNotFollowed() throws Exception {
        try (ScriptedServer node = new ScriptedServer(r -> "error_not_leader 10.9.9.9:6388\n")) {
            ClientConfig config = ClientConfig.builder().cluster(node.hostPort()).build();
            try (DflockdConnection c = DflockdConnection.open(config)) {
                assertThatThrownBy(() -> c.acquire("k", Duration.ZERO)).isInstanceOfSatisfying(NotLeaderException.class,
                        e -> assertThat(e.leaderAddress()).isEqualTo("10.9.9.9:6388"))
                        .hasMessage(node.hostPort() + ": redirected to 10.9.9.9:6388 (l k), which is not one of the "
                                + "configured cluster members [" + node.hostPort() + "]; not followed");
                assertThat(c.isOpen()).isTrue();
                assertThat(c.server()).isEqualTo(config.clusterMembers().get(0));
            }
            assertThat(node.requests).containsExactly("l|k|0");
        }
    }

    @Test
    void aRedirectToAListedMemberIsFollowedWithAuthAndTheCallSentAgain() throws Exception {
        try (ScriptedServer leader = new ScriptedServer(r -> r[0].equals("l") ? GRANT : "ok\n");
                ScriptedServer follower = new ScriptedServer(r -> r[0].equals("auth") ? "ok\n"
                        : "error_not_leader " + leader.hostPort().replace("127.0.0.1", "LOCALHOST") + "\n")) {
            // the member is written "localhost": the redirect's host matches it without case
            String listedLeader = leader.hostPort().replace("127.0.0.1", "localhost");
            ClientConfig config = ClientConfig.builder().cluster(follower.hostPort(), listedLeader)
                    .authToken("secret").build();
            try (DflockdConnection c = openOn(config, config.clusterMembers().get(0))) {
                assertThat(c.acquire("k", Duration.ZERO).token()).isEqualTo(TOKEN);
                assertThat(c.server()).isEqualTo(config.clusterMembers().get(1));
                c.release("k", TOKEN);
            }
            assertThat(follower.requests).containsOnly("auth|_|secret", "l|k|0").containsOnlyOnce("l|k|0");
            assertThat(leader.requests).containsOnly("auth|_|secret", "l|k|0", "r|k|" + TOKEN)
                    .containsSubsequence("auth|_|secret", "l|k|0", "r|k|" + TOKEN);
        }
    }

    /** A connection that starts on {@code member} (connections start at a random member). */
    static DflockdConnection openOn(ClientConfig config, InetSocketAddress member) {
        for (int i = 0; i < 200; i++) {
            DflockdConnection c = DflockdConnection.open(config, member);
            if (c.server().equals(member)) {
                return c;
            }
            c.close();
        }
        throw new AssertionError("200 connections, none started on " + member);
    }

    @Test
    void aBareNotLeaderMovesToTheNextMemberAndRedirectsAreBoundedPerCall() throws Exception {
        try (ScriptedServer a = new ScriptedServer(r -> "error_not_leader\n");
                ScriptedServer b = new ScriptedServer(r -> "error_not_leader\n")) {
            ClientConfig config = ClientConfig.builder().cluster(a.hostPort(), b.hostPort()).build();
            try (DflockdConnection c = DflockdConnection.open(config)) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> c.barrier()).isInstanceOf(NotLeaderException.class)
                        .hasMessageEndingWith("still not the leader after 3 redirects (barrier)");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("50 ms before each of 3 moves")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
                assertThat(a.requests.size() + b.requests.size()).as("the first try and 3 redirects").isEqualTo(4);
                assertThat(Math.abs(a.requests.size() - b.requests.size())).as("alternating").isZero();
                assertThat(c.isOpen()).isTrue();
            }
        }
    }

    @Test
    void aNamedLeaderThatCannotBeReachedCountsAsNoLeaderNamed() throws Exception {
        try (RefusedPort deadLeader = new RefusedPort();
                ScriptedServer newLeader = new ScriptedServer(r -> GRANT);
                ScriptedServer follower = new ScriptedServer(r -> "error_not_leader " + deadLeader.hostPort() + "\n")) {
            ClientConfig config = ClientConfig.builder()
                    .cluster(follower.hostPort(), deadLeader.hostPort(), newLeader.hostPort()).build();
            try (DflockdConnection c = openOn(config, config.clusterMembers().get(0))) {
                assertThat(c.acquire("k", Duration.ZERO).token()).isEqualTo(TOKEN);
                assertThat(c.server()).as("the member after the dead one").isEqualTo(config.clusterMembers().get(2));
            }
        }
    }

    @Test
    void aWatchedConnectionKeepsItsLossWatchAcrossARedirect() throws Exception {
        try (ScriptedServer newLeader = new ScriptedServer(r -> r[0].equals("n") ? "ok 33\n" : null);
                ScriptedServer oldLeader = new ScriptedServer(r -> r[0].equals("l") ? GRANT
                        : "error_not_leader " + newLeader.hostPort() + "\n")) {
            ClientConfig config = ClientConfig.builder().cluster(oldLeader.hostPort(), newLeader.hostPort()).build();
            CompletableFuture<IOException> lost = new CompletableFuture<>();
            try (DflockdConnection c = openOn(config, config.clusterMembers().get(0))) {
                Grant g = c.acquire("k", Duration.ZERO);
                c.watch("test-watch", lost::complete);
                assertThat(c.renew("k", g.token())).isEqualTo(33);
                assertThat(c.server()).isEqualTo(config.clusterMembers().get(1));
                assertThat(lost).as("closing the old node's connection is no loss").isNotDone();
                // the new node closes the connection at the next request: the watch on it reports that
                assertThatThrownBy(c::ping).isInstanceOf(DflockdIOException.class);
                assertThat(lost.get(10, TimeUnit.SECONDS)).isInstanceOf(EOFException.class);
            }
        }
    }

    @Test
    void aConnectionToOneServerDoesNotFollow() throws Exception {
        try (ScriptedServer other = new ScriptedServer(r -> GRANT);
                ScriptedServer node = new ScriptedServer(r -> "error_not_leader " + other.hostPort() + "\n");
                DflockdConnection c = DflockdConnection.open(node.config())) {
            assertThatThrownBy(() -> c.acquire("k", Duration.ZERO)).isInstanceOf(NotLeaderException.class)
                    .isInstanceOf(ServerErrorException.class)
                    .hasMessageContaining("this cluster node does not lead (leader: '" + other.hostPort() + "'; l k)");
            assertThat(other.requests).isEmpty();
            assertThat(c.isOpen()).isTrue();
        }
    }
}
