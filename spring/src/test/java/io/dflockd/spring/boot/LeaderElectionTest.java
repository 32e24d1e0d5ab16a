package io.dflockd.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.client.DflockdClient;
import io.dflockd.spring.DflockdLockRegistry;
import io.dflockd.spring.SharedServer;
import io.dflockd.testing.EmbeddedServers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

/**
 * Spring Integration's leader election on the dflockd registry: two applications (two Spring
 * contexts, two clients) on one real server elect exactly one leader; when the leader goes away, the
 * other takes over.
 */
@Tag("integration") // a real server: not in the quick loop (mvn test -Pquick)
class LeaderElectionTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();
    /**
     * Leaders now, and the most at once, over both applications, as the candidates are told; per role,
     * since each test elects for a role of its own (a hand-over in one test may tell the new leader
     * before the old one, which must not count in another test).
     */
    private static final Map<String, AtomicInteger> leaders = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> mostLeaders = new ConcurrentHashMap<>();

    private static AtomicInteger of(Map<String, AtomicInteger> counters, String role) {
        return counters.computeIfAbsent(role, r -> new AtomicInteger());
    }

    private ApplicationContextRunner app(String id, String role) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DflockdAutoConfiguration.class))
                .withPropertyValues("dflockd.servers=127.0.0.1:" + server.port(), "dflockd.connect-timeout=5s")
                .withBean(CountingCandidate.class, () -> new CountingCandidate(id, role))
                .withUserConfiguration(Election.class);
    }

    @Test
    void exactlyOneLeaderAndTheOtherTakesOverWhenTheLeaderCrashes() {
        String role = EmbeddedServers.key("crash");
        app("one", role).run(one -> app("two", role).run(two -> {
            await().atMost(Duration.ofSeconds(15)).until(() -> isLeader(one) || isLeader(two));
            for (int i = 0; i < 15; i++) { // several heartbeats (500 ms): still exactly one
                assertThat(isLeader(one) ^ isLeader(two)).isTrue();
                Thread.sleep(100);
            }
            assertThat(of(mostLeaders, role)).hasValue(1);
            AssertableApplicationContext leader = isLeader(one) ? one : two;
            AssertableApplicationContext follower = leader == one ? two : one;
            // the leader's process "crashes": its client closes, the server frees the lock
            leader.getBean(DflockdClient.class).close();
            await().atMost(Duration.ofSeconds(15)).until(() -> isLeader(follower));
            await().atMost(Duration.ofSeconds(15)).until(() -> !isLeader(leader));
        }));
    }

    @Test
    void stoppingTheLeaderHandsLeadershipOver() {
        String role = EmbeddedServers.key("stop");
        app("one", role).run(one -> app("two", role).run(two -> {
            await().atMost(Duration.ofSeconds(15)).until(() -> isLeader(one) || isLeader(two));
            AssertableApplicationContext leader = isLeader(one) ? one : two;
            AssertableApplicationContext follower = leader == one ? two : one;
            leader.getBean(LockRegistryLeaderInitiator.class).stop(); // the leader yields, unlocking
            await().atMost(Duration.ofSeconds(15)).until(() -> isLeader(follower));
            assertThat(isLeader(leader)).isFalse();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(of(leaders, role)).hasValue(1));
        }));
    }

    private static boolean isLeader(AssertableApplicationContext app) {
        return app.getBean(LockRegistryLeaderInitiator.class).getContext().isLeader();
    }

    @Configuration(proxyBeanMethods = false)
    static class Election {
        @Bean
        LockRegistryLeaderInitiator leaderInitiator(DflockdLockRegistry registry, CountingCandidate candidate) {
            return new LockRegistryLeaderInitiator(registry, candidate);
        }
    }

    static class CountingCandidate extends DefaultCandidate {
        CountingCandidate(String id, String role) {
            super(id, role);
        }

        @Override
        public void onGranted(Context ctx) {
            of(mostLeaders, getRole()).accumulateAndGet(of(leaders, getRole()).incrementAndGet(), Math::max);
        }

        @Override
        public void onRevoked(Context ctx) {
            of(leaders, getRole()).decrementAndGet();
        }
    }
}
