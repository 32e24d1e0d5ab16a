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

    /** Polls the server's stats until {@code key} has {@code n} queued candidates. */
    static void awaitWaiters(String key, int n) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (TestServers.waiters(shared.server(), key) != n) {
            assertThat(System.nanoTime() - giveUp).as("waiters of " + key).isNegative();
            Thread.sleep(20);
        }
    }
}
