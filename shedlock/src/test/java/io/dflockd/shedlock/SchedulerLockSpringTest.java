package io.dflockd.shedlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdClient;
import io.dflockd.server.DflockdServer;
import io.dflockd.testing.EmbeddedServers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * shedlock-spring's {@code @SchedulerLock} on {@link DflockdLockProvider}: two Spring contexts (two
 * nodes, two clients) on one real server; a locked method runs on one of them at a time.
 */
@Tag("integration")
class SchedulerLockSpringTest {
    static final AtomicInteger RUNS = new AtomicInteger();
    static volatile CountDownLatch running;
    static volatile CountDownLatch finish;

    @Configuration
    @EnableSchedulerLock(defaultLockAtMostFor = "30s")
    static class Node {
        @Bean(destroyMethod = "close")
        DflockdClient dflockdClient() {
            return DflockdClient.create(ClientConfig.builder().server(System.getProperty("test.dflockd.server"))
                    .connectTimeout(Duration.ofSeconds(5)).build());
        }

        @Bean
        LockProvider lockProvider(DflockdClient client) {
            return new DflockdLockProvider(client);
        }

        @Bean
        Job job() {
            return new Job();
        }
    }

    static class Job {
        @SchedulerLock(name = "spring-job")
        public void run() throws InterruptedException {
            RUNS.incrementAndGet();
            running.countDown();
            finish.await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSchedulerLockMethodRunsOnOneNodeAtATime() throws Exception {
        try (DflockdServer server = EmbeddedServers.start(b -> { })) {
            System.setProperty("test.dflockd.server", "127.0.0.1:" + server.port());
            running = new CountDownLatch(1);
            finish = new CountDownLatch(1);
            try (AnnotationConfigApplicationContext nodeA = new AnnotationConfigApplicationContext(Node.class);
                    AnnotationConfigApplicationContext nodeB = new AnnotationConfigApplicationContext(Node.class)) {
                CompletableFuture<Void> onA = CompletableFuture.runAsync(() -> {
                    try {
                        nodeA.getBean(Job.class).run();
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                });
                assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
                nodeB.getBean(Job.class).run(); // skipped: node A holds the lock
                assertThat(RUNS).hasValue(1);
                finish.countDown();
                onA.get(10, TimeUnit.SECONDS);
                running = new CountDownLatch(1);
                nodeB.getBean(Job.class).run(); // free now
                assertThat(RUNS).hasValue(2);
            } finally {
                System.clearProperty("test.dflockd.server");
            }
        }
    }
}
