package io.dflockd.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdClient;
import io.dflockd.server.DflockdServer;
import io.dflockd.testing.EmbeddedServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import net.javacrumbs.shedlock.support.LockException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link DflockdLockProvider} against a real in-process server over TCP, two clients as two nodes. */
@Tag("integration")
class DflockdLockProviderTest {
    private static DflockdServer server;
    private DflockdClient clientA;
    private DflockdClient clientB;
    private DflockdLockProvider a;
    private DflockdLockProvider b;

    @BeforeAll
    static void startServer() {
        server = EmbeddedServers.start(s -> { });
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static ClientConfig config(int port) {
        return ClientConfig.builder().server("127.0.0.1:" + port).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @BeforeEach
    void clients() {
        clientA = DflockdClient.create(config(server.port()));
        clientB = DflockdClient.create(config(server.port()));
        a = new DflockdLockProvider(clientA);
        b = new DflockdLockProvider(clientB);
    }

    @AfterEach
    void closeClients() {
        clientA.close();
        clientB.close();
    }

    private static LockConfiguration cfg(String name, Duration atMost, Duration atLeast) {
        return new LockConfiguration(Instant.now(), name, atMost, atLeast);
    }

    /** Tries {@code p} once; if it gets the lock, releases it at once (a probe). */
    private static boolean free(ExtensibleLockProvider p, String name) {
        Optional<SimpleLock> l = p.lock(cfg(name, Duration.ofSeconds(5), Duration.ZERO));
        l.ifPresent(SimpleLock::unlock);
        return l.isPresent();
    }

    @Test
    void twoProvidersExcludeEachOther() {
        String name = EmbeddedServers.key("exclude");
        SimpleLock held = a.lock(cfg(name, Duration.ofSeconds(10), Duration.ZERO)).orElseThrow();
        assertThat(b.lock(cfg(name, Duration.ofSeconds(10), Duration.ZERO))).isEmpty();
        assertThat(a.lock(cfg(name, Duration.ofSeconds(10), Duration.ZERO))).as("not reentrant").isEmpty();
        held.unlock();
        SimpleLock other = b.lock(cfg(name, Duration.ofSeconds(10), Duration.ZERO)).orElseThrow();
        other.unlock();
        assertThatThrownBy(other::unlock).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void lockAtLeastForKeepsTheLockAfterUnlockThenItIsFree() {
        String name = EmbeddedServers.key("atleast");
        LockConfiguration c = cfg(name, Duration.ofSeconds(10), Duration.ofSeconds(2));
        a.lock(c).orElseThrow().unlock();
        assertThat(free(b, name)).as("kept after unlock").isFalse();
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).until(() -> free(b, name));
        assertThat(Instant.now()).isAfterOrEqualTo(c.getLockAtLeastUntil());
    }

    @Test
    void unlockAfterLockAtLeastForReleasesAtOnce() {
        String name = EmbeddedServers.key("atleast-passed");
        SimpleLock l = a.lock(new LockConfiguration(Instant.now().minusSeconds(3), name, Duration.ofSeconds(30),
                Duration.ofSeconds(1))).orElseThrow();
        l.unlock();
        assertThat(free(b, name)).isTrue();
    }

    @Test
    void lockAtMostForExpiresALockWhoseHolderNeverUnlocks() {
        String name = EmbeddedServers.key("atmost");
        LockConfiguration c = cfg(name, Duration.ofSeconds(2), Duration.ZERO);
        assertThat(a.lock(c)).isPresent();
        clientA.close(); // the holder goes away without unlocking
        assertThat(free(b, name)).as("still held after the holder's client closed").isFalse();
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).until(() -> free(b, name));
        assertThat(Instant.now()).isAfterOrEqualTo(c.getLockAtMostUntil());
    }

    @Test
    void extendKeepsTheLockPastItsFirstDeadline() {
        String name = EmbeddedServers.key("extend");
        SimpleLock first = a.lock(cfg(name, Duration.ofSeconds(1), Duration.ZERO)).orElseThrow();
        SimpleLock extended = first.extend(Duration.ofSeconds(4), Duration.ZERO).orElseThrow();
        assertThatThrownBy(first::unlock).as("the old lock is spent").isInstanceOf(IllegalStateException.class);
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> !free(b, name));
        extended.unlock();
        assertThat(free(b, name)).isTrue();
    }

    @Test
    void extendOfALockThatExpiredAndWasTakenIsEmpty() {
        String name = EmbeddedServers.key("extend-lost");
        SimpleLock stale = a.lock(cfg(name, Duration.ofSeconds(1), Duration.ZERO)).orElseThrow();
        SimpleLock taken = await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> b.lock(cfg(name, Duration.ofSeconds(10), Duration.ZERO)), Optional::isPresent).orElseThrow();
        assertThat(stale.extend(Duration.ofSeconds(10), Duration.ZERO)).isEmpty();
        assertThat(free(a, name)).as("the new holder keeps it").isFalse();
        taken.unlock();
    }

    @Test
    void lockingTaskExecutorRunsATaskOnceAcrossTwoNodes() throws Throwable {
        String name = EmbeddedServers.key("executor");
        LockingTaskExecutor nodeA = new DefaultLockingTaskExecutor(a);
        LockingTaskExecutor nodeB = new DefaultLockingTaskExecutor(b);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Boolean> onA = CompletableFuture.supplyAsync(() -> {
            try {
                return nodeA.executeWithLock(() -> {
                    runs.incrementAndGet();
                    running.countDown();
                    return finish.await(10, TimeUnit.SECONDS);
                }, cfg(name, Duration.ofSeconds(30), Duration.ZERO)).wasExecuted();
            } catch (Throwable e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        LockingTaskExecutor.TaskResult<Integer> onB = nodeB.executeWithLock(runs::incrementAndGet,
                cfg(name, Duration.ofSeconds(30), Duration.ZERO));
        assertThat(onB.wasExecuted()).isFalse();
        finish.countDown();
        assertThat(onA.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).hasValue(1);
        assertThat(nodeB.executeWithLock(runs::incrementAndGet, cfg(name, Duration.ofSeconds(30), Duration.ZERO))
                .wasExecuted()).as("free after the task").isTrue();
    }

    @Test
    void keepAliveLockProviderKeepsALongTasksLock() throws Exception {
        String name = EmbeddedServers.key("keepalive");
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        try {
            // The public constructor wants lockAtMostFor >= 30 s; the package-private one takes the minimum,
            // so the test extends every second a lock of lockAtMostFor 2 s.
            Constructor<KeepAliveLockProvider> ctor = KeepAliveLockProvider.class.getDeclaredConstructor(
                    ExtensibleLockProvider.class, ScheduledExecutorService.class, Duration.class);
            ctor.setAccessible(true);
            KeepAliveLockProvider keepAlive = ctor.newInstance(a, ticker, Duration.ofSeconds(1));
            SimpleLock l = keepAlive.lock(cfg(name, Duration.ofSeconds(2), Duration.ZERO)).orElseThrow();
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !free(b, name));
            l.unlock();
            assertThat(free(b, name)).isTrue();
        } finally {
            ticker.shutdownNow();
        }
    }

    @Test
    void aServerWithoutTheExtensionIsReportedClearly() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                DflockdClient upstream = DflockdClient.create(config(fake.getLocalPort()))) {
            Thread t = new Thread(() -> serveLikeUpstream(fake), "fake-upstream");
            t.setDaemon(true);
            t.start();
            DflockdLockProvider p = new DflockdLockProvider(upstream);
            assertThatThrownBy(() -> p.lock(cfg("job", Duration.ofSeconds(10), Duration.ZERO)))
                    .isInstanceOf(LockException.class)
                    .hasMessageContaining("dflockd-for-Java server")
                    .hasMessageContaining("'shedlock:job'");
        }
    }

    /** Grants every {@code l} and answers anything else {@code error}, as an upstream server does to {@code k}. */
    private static void serveLikeUpstream(ServerSocket fake) {
        while (!fake.isClosed()) {
            try (Socket s = fake.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                String cmd;
                while ((cmd = in.readLine()) != null) {
                    String key = in.readLine();
                    String args = in.readLine();
                    if (key == null || args == null) {
                        break;
                    }
                    String[] a = args.trim().split(" ");
                    String reply = cmd.equals("l") ? "ok 0123456789abcdef0123456789abcdef " + (a.length > 1 ? a[1] : "33")
                            : cmd.equals("r") ? "ok" : "error";
                    out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (Exception e) {
                // the next connection, or the end of the test
            }
        }
    }
}
