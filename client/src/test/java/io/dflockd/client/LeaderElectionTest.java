package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.client.LeaderEvent.Kind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leader election over real TCP against a real server (PROTOCOL.md §6.15, §7.12). */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class LeaderElectionTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void lowLevelElectAndResign() {
        String k = key("elect-ll");
        try (DflockdConnection a = DflockdConnection.open(shared.config());
                DflockdConnection b = DflockdConnection.open(shared.config())) {
            Grant first = a.elect(k, Duration.ZERO, Duration.ofSeconds(20));
            assertThat(first.leaseSeconds()).isEqualTo(20);
            assertThatThrownBy(() -> b.elect(k, Duration.ZERO)).isInstanceOf(AcquireTimeoutException.class);
            assertThat(a.renew(k, first.token(), Duration.ofSeconds(20))).isEqualTo(20); // a term renews as a lock
            a.resign(k, first.token());
            assertThatThrownBy(() -> a.resign(k, first.token())).isInstanceOf(ServerErrorException.class);
            Grant second = b.elect(k, Duration.ZERO);
            assertThat(Long.compareUnsigned(second.fence().getAsLong(), first.fence().getAsLong())).isPositive();
            b.resign(k, second.token());
        }
    }

    @Test
    void anObserverIsToldElectedResignedFailoverAndLostInOrder() throws Exception {
        String k = key("elect-obs");
        BlockingQueue<LeaderEvent> heard = new LinkedBlockingQueue<>();
        FlowRecorder<LeaderEvent> published = new FlowRecorder<>();
        try (SignalConn observer = SignalConn.builder().config(shared.config()).onLeaderEvent(heard::add).build();
                DflockdConnection a = DflockdConnection.open(shared.config());
                DflockdConnection b = DflockdConnection.open(shared.config())) {
            observer.leaderEvents().subscribe(published);
            observer.connect();
            observer.observe(k);
            Grant first = a.elect(k, Duration.ZERO);
            var queued = java.util.concurrent.CompletableFuture.supplyAsync(() -> b.elect(k, Duration.ofSeconds(10)));
            awaitWaiters(k, 1);
            a.resign(k, first.token());
            queued.get(10, TimeUnit.SECONDS);
            b.close(); // nobody queued: the key has no leader
            List<Kind> expected = List.of(Kind.ELECTED, Kind.RESIGNED, Kind.FAILOVER, Kind.LOST);
            for (Kind kind : expected) {
                assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo(new LeaderEvent(k, kind));
                assertThat(published.items.poll(10, TimeUnit.SECONDS)).isEqualTo(new LeaderEvent(k, kind));
            }
            observer.unobserve(k);
            Grant again = a.elect(k, Duration.ZERO);
            a.resign(k, again.token());
            observer.ping(); // the pushes of the elect and resign would have come before this reply
            assertThat(heard.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
        published.completed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void oneLeadsTheOtherWaitsUntilItResignsWithALargerFenceAndAnObserverSeesItAll() throws Exception {
        String name = key("elect-two");
        FlowRecorder<LeaderEvent> events = new FlowRecorder<>();
        try (DflockdClient client = DflockdClient.create(shared.config());
                LeaderElection first = client.leaderElectionBuilder(name).leaseTtl(Duration.ofSeconds(2)).build();
                LeaderElection second = client.leaderElection(name);
                LeaderElection watcher = client.leaderElection(name)) {
            watcher.observe().subscribe(events);
            first.campaign();
            assertThat(first.isLeader()).isTrue();
            long firstFence = first.fence().getAsLong();
            assertThat(first.lease()).isEqualTo(Duration.ofSeconds(2));
            var secondLeads = second.campaignAsync();
            awaitWaiters(name, 1);
            Thread.sleep(4_500); // past two 2 s leases: only background renewal keeps the first leading
            assertThat(first.isLeader()).isTrue();
            assertThat(secondLeads).isNotDone();
            assertThat(second.isLeader()).isFalse();
            String firstToken = first.token();
            first.resign();
            assertThat(first.isLeader()).isFalse();
            assertThat(secondLeads.get(10, TimeUnit.SECONDS)).isSameAs(second);
            assertThat(second.isLeader()).isTrue();
            assertThat(second.token()).isNotEqualTo(firstToken);
            assertThat(Long.compareUnsigned(second.fence().getAsLong(), firstFence)).isPositive();
            assertThat(first.campaign(Duration.ZERO)).isFalse(); // second leads
            second.resign();
            for (Kind kind : List.of(Kind.ELECTED, Kind.RESIGNED, Kind.FAILOVER, Kind.RESIGNED)) {
                assertThat(events.items.poll(10, TimeUnit.SECONDS)).isEqualTo(new LeaderEvent(name, kind));
            }
        }
        events.completed.get(10, TimeUnit.SECONDS); // the watcher's observing connection closed with it
    }

    @Test
    void aLeaderWhoseConnectionDiesIsToldAndTheObserverSeesFailoverThenLost() throws Exception {
        String name = key("elect-kill");
        BlockingQueue<Throwable> lost = new LinkedBlockingQueue<>();
        FlowRecorder<LeaderEvent> events = new FlowRecorder<>();
        try (LeaderElection watcher = LeaderElection.builder(name).config(shared.config()).build();
                LeaderElection leader = LeaderElection.builder(name).config(shared.config())
                        .onLeadershipLost((n, token, cause) -> lost.add(cause)).build();
                LeaderElection candidate = LeaderElection.builder(name).config(shared.config())
                        .onLeadershipLost((n, token, cause) -> lost.add(cause)).build()) {
            watcher.observe().subscribe(events);
            leader.campaign();
            var next = candidate.campaignAsync();
            awaitWaiters(name, 1);
            killSocket(leader);
            assertThat(lost.poll(10, TimeUnit.SECONDS)).isInstanceOf(DflockdIOException.class);
            assertThat(leader.isLeader()).isFalse();
            assertThat(leader.leadershipLost()).isCancelled(); // the lost term's future completed; now nothing is held
            assertThat(next.get(10, TimeUnit.SECONDS).isLeader()).isTrue();
            killSocket(candidate); // nobody queued now: the name has no leader
            assertThat(lost.poll(10, TimeUnit.SECONDS)).isInstanceOf(DflockdIOException.class);
            for (Kind kind : List.of(Kind.ELECTED, Kind.FAILOVER, Kind.LOST)) {
                assertThat(events.items.poll(10, TimeUnit.SECONDS)).isEqualTo(new LeaderEvent(name, kind));
            }
        }
    }

    /** Closes the socket under a leader's connection, as a network failure would (not as a close()). */
    private static void killSocket(LeaderElection e) throws Exception {
        java.lang.reflect.Field f = DflockdConnection.class.getDeclaredField("transport");
        f.setAccessible(true);
        ((Transport) f.get(e.core.conn)).closeSocket();
    }

    /** Polls the server's stats until {@code key} has {@code n} queued candidates. */
    static void awaitWaiters(String key, int n) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (TestServers.waiters(shared.server(), key) != n) {
            assertThat(System.nanoTime() - giveUp).as("waiters of " + key).isNegative();
            Thread.sleep(20);
        }
    }
}
