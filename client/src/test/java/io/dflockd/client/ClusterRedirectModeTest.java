package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.cluster.FollowerMode;
import io.dflockd.testing.LocalCluster;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client against three in-JVM cluster nodes started with {@code --follower-mode redirect}:
 * calls that reach a follower follow its {@code error_not_leader} to the leader (a read-write lock's
 * sides too), and a held lease is renewed through the new leader when the old one stops.
 */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class ClusterRedirectModeTest {
    /** Long enough for an election plus a commit on this shared, heavily loaded machine. */
    private static final Duration LEASE = Duration.ofSeconds(8);
    private LocalCluster cluster;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private ClientConfig startCluster() throws Exception {
        cluster = new LocalCluster(3, dir, Duration.ofSeconds(10), FollowerMode.REDIRECT);
        return ClientConfig.builder().cluster(cluster.clientAddresses()).connectTimeout(Duration.ofSeconds(2)).build();
    }

    private static InetSocketAddress member(ClientConfig config, DflockdServer node) {
        return config.clusterMembers().stream().filter(m -> m.getPort() == node.port()).findFirst().orElseThrow();
    }

    @Test
    void aConnectionStartedOnAFollowerFollowsTheRedirectToTheLeader() throws Exception {
        ClientConfig config = startCluster();
        DflockdServer leader = cluster.awaitLeader();
        DflockdServer follower = cluster.followers().get(0);
        // The follower names the leader once the leader's heartbeats reached it.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (DflockdConnection probe = DflockdConnection.open("127.0.0.1:" + follower.port())) {
                return leaderAddress(probe).equals("127.0.0.1:" + leader.port());
            }
        });
        try (DflockdConnection c = RedirectFollowingTest.openOn(config, member(config, follower))) {
            Grant g = c.acquire("k", Duration.ZERO, Duration.ofSeconds(30));
            assertThat(c.server()).isEqualTo(member(config, leader));
            assertThat(c.renew("k", g.token())).isPositive();
            c.release("k", g.token());
        }

        // Listing only the follower: the leader it names is not a member, so it is not followed.
        ClientConfig followerOnly = ClientConfig.builder().cluster("127.0.0.1:" + follower.port()).build();
        try (DflockdConnection c = DflockdConnection.open(followerOnly)) {
            assertThatThrownBy(() -> c.acquire("k", Duration.ZERO)).isInstanceOfSatisfying(NotLeaderException.class,
                    e -> assertThat(e.leaderAddress()).isEqualTo("127.0.0.1:" + leader.port()))
                    .hasMessageContaining("which is not one of the configured cluster members");
            c.ping(); // still connected to the follower
        }
    }

    private static String leaderAddress(DflockdConnection c) {
        String addr = c.stats().cluster().leaderAddr();
        return addr == null ? "" : addr;
    }

    @Test
    void aHeldLockIsRenewedThroughTheNewLeaderWhenItsNodeStops() throws Exception {
        ClientConfig config = startCluster();
        cluster.awaitLeader();
        try (DistributedLock lock = DistributedLock.builder("redirected").config(config).leaseTtl(LEASE).build();
                DistributedLock rival = DistributedLock.builder("redirected").config(config).build()) {
            // Until the followers have heard from the new leader, a call may find no leader in 3 redirects.
            await().atMost(Duration.ofSeconds(60)).ignoreException(NotLeaderException.class)
                    .until(() -> lock.acquire(Duration.ofSeconds(5)));
            String token = lock.token();
            // The lock's connection followed the redirect to the leader (unless leadership moved since).
            DflockdServer itsNode = ClusterFailoverTest.nodeWithOneConnection(cluster.nodes());
            assertThat(rival.acquire(Duration.ZERO)).as("held, whichever member the rival reached").isFalse();
            cluster.stop(itsNode);

            // Two lease lengths later: renewed through the new leader all along.
            long until = System.nanoTime() + LEASE.multipliedBy(2).toNanos();
            while (System.nanoTime() < until) {
                assertThat(lock.leaseLost()).as("the lease was never lost").isNotDone();
                assertThat(rivalGets(rival)).as("nobody else gets it").isFalse();
                Thread.sleep(500);
            }
            assertThat(lock.isHeld()).isTrue();
            assertThat(lock.token()).isEqualTo(token);
            lock.release();
            await().atMost(Duration.ofSeconds(20)).until(() -> rivalGets(rival));
        }
    }

    @Test
    void aReadWriteLocksSidesFollowTheRedirectReadersShareAndAWriterWaits() throws Exception {
        ClientConfig config = startCluster();
        DflockdServer leader = cluster.awaitLeader();
        InetSocketAddress onFollower = member(config, cluster.followers().get(0));
        // Until the follower has heard from the leader it names none, and a call may run out of redirects.
        await().atMost(Duration.ofSeconds(60)).ignoreException(NotLeaderException.class).until(() -> {
            try (DflockdConnection c = RedirectFollowingTest.openOn(config, onFollower)) {
                Grant g = c.readAcquire("rw-probe", Duration.ZERO, Duration.ofSeconds(30));
                c.readRelease("rw-probe", g.token());
                return c.server().equals(member(config, leader));
            }
        });

        try (DistributedReadWriteLock a = DistributedReadWriteLock.builder("rw").config(config).build();
                DistributedReadWriteLock b = DistributedReadWriteLock.builder("rw").config(config).build();
                DistributedReadWriteLock w = DistributedReadWriteLock.builder("rw").config(config)
                        .acquireTimeout(Duration.ofSeconds(30)).build()) {
            assertThat(a.reader().acquire(Duration.ZERO)).isTrue();
            assertThat(b.reader().acquire(Duration.ZERO)).isTrue();
            assertThat(w.writer().enqueue()).isEqualTo(EnqueueResult.QUEUED);
            CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(w.writer()::await);
            a.reader().release();
            Thread.sleep(300);
            assertThat(writer).as("one reader still holds").isNotDone();
            long readFence = Fencing.fenceOf(b.reader());
            b.reader().release();
            assertThat(writer.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Fencing.supersedes(Fencing.fenceOf(w.writer()), readFence)).isTrue();
            assertThat(a.reader().acquire(Duration.ZERO)).as("no reader while the writer holds").isFalse();
        }
    }

    /** A try-lock; during the election a node may find no leader within the redirects: not acquired. */
    private static boolean rivalGets(DistributedLock rival) {
        try {
            return rival.acquire(Duration.ZERO);
        } catch (NotLeaderException electing) {
            return false;
        }
    }
}
