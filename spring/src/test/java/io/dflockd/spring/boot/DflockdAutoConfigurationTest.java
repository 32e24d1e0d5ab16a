package io.dflockd.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdClient;
import io.dflockd.server.DflockdServer;
import io.dflockd.spring.DflockdLock;
import io.dflockd.spring.DflockdLockRegistry;
import io.dflockd.spring.SharedServer;
import io.dflockd.testing.EmbeddedServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.LockRegistry;

/** The auto-configuration in real Spring contexts, against real servers over TCP. */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class DflockdAutoConfigurationTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer(s -> s.authToken("s3cret-token"));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DflockdAutoConfiguration.class));

    private static String here(DflockdServer s) {
        return here(s.port());
    }

    private static String here(SharedServer s) {
        return here(s.port());
    }

    private static String here(int port) {
        return "dflockd.servers=127.0.0.1:" + port;
    }

    @Test
    void theClientAndTheRegistryComeFromTheProperties() {
        AtomicReference<DflockdClient> seen = new AtomicReference<>();
        runner.withPropertyValues(here(server), "dflockd.auth-token=s3cret-token", "dflockd.connect-timeout=3s",
                "dflockd.renew-ratio=0.4", "dflockd.renew-jitter=false",
                "dflockd.lock-registry.lease-ttl=12s", "dflockd.lock-registry.key-prefix=app/").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(DflockdClient.class).hasSingleBean(DflockdLockRegistry.class)
                    .hasSingleBean(DflockdHealthIndicator.class).hasSingleBean(DflockdLockMetrics.class);
            DflockdClient client = ctx.getBean(DflockdClient.class);
            seen.set(client);
            ClientConfig c = client.config();
            assertThat(c.servers()).singleElement().satisfies(a -> assertThat(a.getPort()).isEqualTo(server.port()));
            assertThat(c.authToken()).isEqualTo("s3cret-token");
            assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(c.renewRatio()).isEqualTo(0.4);
            assertThat(c.renewJitter()).isFalse();
            assertThat(c.sslContext()).isNull();

            DflockdLockRegistry registry = ctx.getBean(DflockdLockRegistry.class);
            DflockdLock lock = registry.obtain("job");
            assertThat(lock.key()).isEqualTo("app/job");
            lock.lock(); // through the server, with the auth token
            assertThat(lock.leaseValidUntil().orElseThrow()).isBetween(Instant.now().plusSeconds(10), Instant.now().plusSeconds(13));
            assertThat(client.lock("app/job").acquire(Duration.ZERO)).isFalse();
            lock.unlock();
        });
        assertThat(seen.get().isClosed()).as("closed with the context").isTrue();
    }

    @Test
    void withoutSpringIntegrationThereIsJustTheClient() {
        runner.withPropertyValues(here(server)).withClassLoader(new FilteredClassLoader(LockRegistry.class)).run(ctx ->
                assertThat(ctx).hasNotFailed().hasSingleBean(DflockdClient.class)
                        .doesNotHaveBean(DflockdLockRegistry.class).doesNotHaveBean(DflockdLockMetrics.class));
        runner.withPropertyValues(here(server), "dflockd.lock-registry.enabled=false").run(ctx ->
                assertThat(ctx).hasSingleBean(DflockdClient.class).doesNotHaveBean(DflockdLockRegistry.class));
        runner.withPropertyValues(here(server), "management.health.dflockd.enabled=false").run(ctx ->
                assertThat(ctx).doesNotHaveBean(DflockdHealthIndicator.class));
    }

    @Test
    void anApplicationsOwnClientWinsAndACustomizerApplies() {
        DflockdClient own = DflockdClient.create(ClientConfig.builder().server("127.0.0.1:" + server.port()).build());
        runner.withBean(DflockdClient.class, () -> own).run(ctx -> {
            assertThat(ctx).getBean(DflockdClient.class).isSameAs(own);
            assertThat(ctx.getBean(DflockdLockRegistry.class)).isNotNull();
        });
        own.close();
        runner.withPropertyValues(here(server))
                .withBean(DflockdClientConfigCustomizer.class, () -> b -> b.renewRatio(0.25)).run(ctx ->
                        assertThat(ctx.getBean(DflockdClient.class).config().renewRatio()).isEqualTo(0.25));
    }

    @Test
    void tlsFromTheJdkDefaultsOrASslBundle() {
        runner.withPropertyValues(here(server), "dflockd.tls.enabled=true").run(ctx ->
                assertThat(ctx.getBean(DflockdClient.class).config().sslContext()).isNotNull());
        runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withPropertyValues(here(server), "dflockd.tls.bundle=no-such-bundle").run(ctx ->
                        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("no-such-bundle"));
    }

    @Test
    void theHealthIndicatorIsUpWhileTheServerAnswersAndDownWhenItStops() {
        DflockdServer dying = EmbeddedServers.start(s -> { });
        runner.withPropertyValues(here(dying)).run(ctx -> {
            DflockdHealthIndicator health = ctx.getBean(DflockdHealthIndicator.class);
            Health up = health.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(String.valueOf(((Map<?, ?>) up.getDetails().get("servers")).keySet())).isEqualTo("[127.0.0.1:" + dying.port() + "]");
            dying.close();
            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(((Map<?, ?>) down.getDetails().get("servers")).get("127.0.0.1:" + dying.port()).toString())
                    .startsWith("down: ");
        });
    }

    @Test
    void theMetricsCountWhatTheRegistrySees() {
        DflockdServer dying = EmbeddedServers.start(s -> { });
        runner.withPropertyValues(here(dying)).run(ctx -> {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            ctx.getBean(DflockdLockMetrics.class).bindTo(meters);
            DflockdLockRegistry registry = ctx.getBean(DflockdLockRegistry.class);
            DflockdLock lock = registry.obtain("metered");
            lock.lock();
            lock.lock(); // nested: not a distributed acquisition
            assertThat(meters.get("dflockd.locks.held").gauge().value()).isEqualTo(1.0);
            registry.renewLock("metered");
            boolean elsewhere = ctx.getBean(DflockdClient.class).lock("metered").acquire(Duration.ZERO);
            assertThat(elsewhere).isFalse();
            lock.unlock();
            lock.unlock();
            assertThat(meters.get("dflockd.locks.held").gauge().value()).isZero();
            assertThat(meters.get("dflockd.lock.acquire").tag("outcome", "acquired").timer().count()).isEqualTo(1);
            assertThat(meters.get("dflockd.lock.renewals").tag("outcome", "success").counter().count()).isEqualTo(1);

            lock.lock();
            dying.close();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    meters.get("dflockd.lock.leases.lost").counter().count() == 1);
            assertThat(meters.get("dflockd.locks.held").gauge().value()).isZero();
            try {
                lock.unlock();
            } catch (IllegalMonitorStateException expected) {
                // the lease was lost
            }
        });
    }
}
