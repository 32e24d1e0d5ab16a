package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.server.cluster.ClusterConfig;
import io.dflockd.server.cluster.ClusterPeer;
import io.dflockd.testing.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ClientConfig.cluster(...)} against three cluster nodes in this JVM: when the node a held
 * lock's connection goes to dies, the client renews the lock by its token through another member;
 * the lease is not reported lost, nobody else gets the lock, and it releases normally.
 */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class ClusterFailoverTest {
    private final List<DflockdServer> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        nodes.forEach(DflockdServer::close);
    }

    /** Starts three nodes with {@code --orphan-ttl} 30 s and {@code --node-gone-timeout} 3 s; returns their addresses. */
    private String[] startThree() throws java.io.IOException {
        List<ClusterPeer> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            peers.add(new ClusterPeer("n" + i, "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick()));
        }
        String[] members = new String[3];
        for (int i = 0; i < 3; i++) {
            ClusterPeer p = peers.get(i);
            int port = Integer.parseInt(p.clientAddress().substring(p.clientAddress().indexOf(':') + 1));
            nodes.add(ServerConfig.builder().host("127.0.0.1").port(port)
                    .cluster(new ClusterConfig(p.id(), peers, dir.resolve(p.id()), null)
                            .withStableRefs(Duration.ofSeconds(30), Duration.ofSeconds(3))).start());
            members[i] = p.clientAddress();
        }
        return members;
    }

    @Test
    void aHeldLockSurvivesTheDeathOfItsConnectionsNode() throws Exception {
        String[] members = startThree();
        ClientConfig config = ClientConfig.builder().cluster(members).connectTimeout(Duration.ofSeconds(2)).build();
        assertThat(config.servers()).hasSize(1);
        assertThat(config.clusterMembers()).hasSize(3);

        try (DistributedLock lock = DistributedLock.builder("failover").config(config).leaseTtl(Duration.ofSeconds(4))
                .build().acquireOrThrow();
                DistributedLock rival = DistributedLock.builder("failover").config(config).build()) {
            String token = lock.token();
            DflockdServer itsNode = nodeWithOneConnection(nodes);
            itsNode.close();
            nodes.remove(itsNode);

            // Three lease lengths later: renewed through the survivors all along.
            long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            while (System.nanoTime() < until) {
                assertThat(lock.leaseLost()).as("the lease was never lost").isNotDone();
                assertThat(rival.acquire(Duration.ZERO)).as("nobody else gets it").isFalse();
                Thread.sleep(500);
            }
            assertThat(lock.isHeld()).isTrue();
            assertThat(lock.token()).isEqualTo(token);
            lock.release();
            await().atMost(Duration.ofSeconds(10)).until(() -> rival.acquire(Duration.ZERO));
        }
    }

    /**
     * CLUSTER-DESIGN.md §4.5: a lock() blocked in the queue through a node that dies reconnects through
     * another member, names its stable ref again and re-sends its l; the cluster gives the call back its
     * queue place, so it is granted before a waiter that queued behind it.
     */
    @Test
    void aBlockedLockKeepsItsQueuePlaceAcrossTheDeathOfItsNode() throws Exception {
        keepsItsQueuePlaceAcrossTheDeathOfItsNode(c -> DistributedLock.builder("fifo").config(c).build(),
                lock -> lock.acquire(Duration.ofSeconds(60)), DistributedLock::release);
    }

    /** The same for a campaign(): its re-sent elect keeps its place in the election (CLUSTER-DESIGN.md §3.5), elected before the one behind. */
    @Test
    void aCampaignKeepsItsPlaceInTheElectionAcrossTheDeathOfItsNode() throws Exception {
        keepsItsQueuePlaceAcrossTheDeathOfItsNode(c -> LeaderElection.builder("fifo").config(c).build(),
                election -> {
                    election.campaign();
                    return election.isLeader();
                }, LeaderElection::resign);
    }

    /**
     * {@code waiter} (made on the cluster by {@code make}) waits in the queue of "fifo" ({@code waitIn})
     * through a node that dies, with a waiter behind it on another node; it must be granted first once
     * the holder releases, and the one behind once it leaves ({@code leave}).
     */
    private <T extends AutoCloseable> void keepsItsQueuePlaceAcrossTheDeathOfItsNode(Function<ClientConfig, T> make,
            Predicate<T> waitIn, Consumer<T> leave) throws Exception {
        String[] members = startThree();
        ClientConfig cluster = ClientConfig.builder().cluster(members).connectTimeout(Duration.ofSeconds(2)).build();
        DflockdConnection holder = DflockdConnection.open(direct(nodes.get(0)));
        Grant held = holder.acquire("fifo", Duration.ZERO, Duration.ofSeconds(60));
        try (T waiter = make.apply(cluster)) {
            var waited = java.util.concurrent.CompletableFuture.supplyAsync(() -> waitIn.test(waiter));
            awaitWaiters(1);
            DflockdServer itsNode = nodes.stream().filter(n -> clientConnections(n) == (n == nodes.get(0) ? 2 : 1))
                    .findFirst().orElseThrow();
            DflockdServer other = nodes.stream().filter(n -> n != itsNode).findFirst().orElseThrow();
            DflockdConnection behind = DflockdConnection.open(direct(other));
            var behindWaited = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> behind.acquire("fifo", Duration.ofSeconds(60)));
            awaitWaiters(2);

            itsNode.close();
            nodes.remove(itsNode);
            // The re-sent call is moved onto the old place once the cluster knows the node is gone.
            awaitWaiters(2);
            try (DflockdConnection releaser = DflockdConnection.open(direct(other))) {
                releaser.release("fifo", held.token());
            }
            assertThat(waited.get(30, java.util.concurrent.TimeUnit.SECONDS)).as("granted first").isTrue();
            assertThat(behindWaited).as("the waiter behind it waits on").isNotDone();
            leave.accept(waiter);
            assertThat(behindWaited.get(30, java.util.concurrent.TimeUnit.SECONDS).token()).isNotNull();
            behind.close();
        } finally {
            holder.close();
        }
    }

    private static ClientConfig direct(DflockdServer node) {
        return ClientConfig.builder().server("127.0.0.1:" + node.port()).build();
    }

    /** Client connections of {@code node} other than the one asking. */
    private static long clientConnections(DflockdServer node) {
        try (DflockdConnection c = DflockdConnection.open(direct(node))) {
            return c.stats().connections() - 1;
        } catch (DflockdIOException e) {
            return -1; // closed
        }
    }

    /** Waits until every live node's replica shows {@code n} waiters on "fifo". */
    private void awaitWaiters(int n) {
        for (DflockdServer node : nodes) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (DflockdConnection c = DflockdConnection.open(direct(node))) {
                    return c.stats().lock("fifo").map(l -> l.waiters() == n).orElse(false);
                }
            });
        }
    }

    /** The node that has exactly one client connection: the lock's. */
    static DflockdServer nodeWithOneConnection(List<DflockdServer> nodes) {
        return nodes.stream().filter(n -> clientConnections(n) == 1).findFirst()
                .orElseThrow(() -> new AssertionError("no node holds the lock's connection"));
    }
}
