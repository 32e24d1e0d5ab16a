package io.dflockd.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdClient;
import io.dflockd.client.DflockdConnection;
import io.dflockd.server.DflockdServer;
import io.dflockd.testing.EmbeddedServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry against a real server over TCP; two clients stand for two processes. */
@Tag("integration") // a real server: not in the quick loop (mvn test -Pquick)
class DflockdLockRegistryTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();
    private DflockdClient clientA;
    private DflockdClient clientB;
    private DflockdLockRegistry a;
    private DflockdLockRegistry b;

    @BeforeEach
    void twoProcesses() {
        clientA = DflockdClient.create(config());
        clientB = DflockdClient.create(config());
        a = new DflockdLockRegistry(clientA);
        b = new DflockdLockRegistry(clientB);
    }

    @AfterEach
    void closeThem() {
        a.close();
        b.close();
        clientA.close();
        clientB.close();
    }

    static ClientConfig config() {
        return server.config();
    }

    @Test
    void twoRegistriesExcludeEachOther() throws Exception {
        String k = EmbeddedServers.key("mutex");
        DflockdLock inA = a.obtain(k);
        assertThat(a.obtain(k)).isSameAs(inA);
        inA.lock();
        assertThat(b.obtain(k).tryLock()).isFalse();
        inA.unlock();
        assertThat(b.obtain(k).tryLock()).isTrue();
        assertThat(a.obtain(k).tryLock()).isFalse();
        b.obtain(k).unlock();

        // four threads per registry, never two inside at once
        String shared = EmbeddedServers.key("counter");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                DflockdLockRegistry r = t % 2 == 0 ? a : b;
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        r.executeLocked(shared, () -> {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.sleep(5);
                            inside.decrementAndGet();
                            done.incrementAndGet();
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(done).hasValue(40);
        assertThat(maxInside).hasValue(1);
    }

    @Test
    void reentrantPerThreadAndOnlyTheOwnerUnlocks() throws Exception {
        String k = EmbeddedServers.key("reentrant");
        DflockdLock lock = a.obtain(k);
        lock.lock();
        assertThat(lock.tryLock()).isTrue();
        assertThat(lock.tryLock(1, TimeUnit.SECONDS)).isTrue();
        lock.lockInterruptibly();
        assertThat(lock.getHoldCount()).isEqualTo(4);

        CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
            try {
                lock.unlock();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(other.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("not held by this thread");
        // another thread of this process waits behind the owner, locally
        CompletableFuture<Boolean> sameProcess = CompletableFuture.supplyAsync(() -> lock.tryLock());
        assertThat(sameProcess.get(10, TimeUnit.SECONDS)).isFalse();

        for (int i = 0; i < 3; i++) {
            lock.unlock();
            assertThat(b.obtain(k).tryLock()).as("still held after a nested unlock").isFalse();
        }
        lock.unlock(); // the outermost releases on the server
        assertThat(lock.isHeldByCurrentThread()).isFalse();
        assertThat(b.obtain(k).tryLock()).isTrue();
        b.obtain(k).unlock();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void tryLockGivesUpAfterItsTimeout() throws Exception {
        String k = EmbeddedServers.key("timeout");
        b.obtain(k).lock();
        long start = System.nanoTime();
        assertThat(a.obtain(k).tryLock(500, TimeUnit.MILLISECONDS)).isFalse();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).as("waited in the queue, whole seconds on the wire").isBetween(400L, 5000L);
        assertThatThrownBy(() -> a.executeLocked(k, Duration.ofMillis(200), () -> { }))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        // a waiter is granted as soon as the holder lets go
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                DflockdLock l = a.obtain(k);
                boolean got = l.tryLock(Duration.ofSeconds(20), Duration.ofSeconds(5));
                if (got) {
                    l.unlock();
                }
                return got;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        b.obtain(k).unlock();
        assertThat(waiter.get(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theTtlMethodsAskForTheirLease() throws Exception {
        String k = EmbeddedServers.key("ttl");
        DflockdLock lock = a.obtain(k);
        lock.lock(Duration.ofSeconds(7));
        assertThat(lock.leaseValidUntil().orElseThrow()).isBetween(Instant.now().plusSeconds(5), Instant.now().plusSeconds(8));
        lock.unlock();
        assertThat(lock.tryLock(Duration.ofSeconds(1), Duration.ofSeconds(90))).isTrue();
        assertThat(lock.leaseValidUntil().orElseThrow()).isAfter(Instant.now().plusSeconds(80));
        lock.unlock();
        assertThat(lock.leaseValidUntil()).isEmpty();
        assertThatThrownBy(() -> lock.lock(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(lock.isHeldByCurrentThread()).isFalse();
    }

    @Test
    void renewLockMovesTheLeaseDeadline() throws Exception {
        a.setLeaseTtl(Duration.ofSeconds(10));
        String k = EmbeddedServers.key("renew");
        assertThatThrownBy(() -> a.renewLock(k)).isInstanceOf(IllegalStateException.class);
        DflockdLock lock = a.obtain(k);
        lock.lock();
        Instant first = lock.leaseValidUntil().orElseThrow();
        Thread.sleep(300);
        a.renewLock(k);
        Instant second = lock.leaseValidUntil().orElseThrow();
        assertThat(second).isAfter(first.plusMillis(250));
        a.renewLock(k, Duration.ofSeconds(60));
        assertThat(lock.leaseValidUntil().orElseThrow()).isAfter(Instant.now().plusSeconds(55));

        CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
            try {
                a.renewLock(k);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(other.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not held by the current thread");
        lock.unlock();
        assertThatThrownBy(() -> a.renewLock(k)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void expireUnusedOlderThanDropsOnlyIdleLocks() throws Exception {
        String idle = EmbeddedServers.key("idle");
        String busy = EmbeddedServers.key("busy");
        DflockdLock idleLock = a.obtain(idle);
        idleLock.lock();
        idleLock.unlock();
        DflockdLock busyLock = a.obtain(busy);
        busyLock.lock();
        Thread.sleep(50);

        a.expireUnusedOlderThan(10_000);
        assertThat(a.obtain(idle)).as("used recently").isSameAs(idleLock);
        a.expireUnusedOlderThan(20);
        assertThat(a.obtain(idle)).as("idle for longer than the age").isNotSameAs(idleLock);
        assertThat(a.obtain(busy)).as("held").isSameAs(busyLock);
        assertThat(busyLock.isHeld()).isTrue();

        busyLock.unlock();
        Thread.sleep(50);
        a.expireUnusedOlderThan(20);
        assertThat(a.obtain(busy)).isNotSameAs(busyLock);
        // a dropped lock that someone kept still works (on its own)
        assertThat(idleLock.tryLock()).isTrue();
        assertThat(a.obtain(idle).tryLock()).isFalse();
        idleLock.unlock();
    }

    @Test
    void aLostLeaseIsReportedAndFailsTheUnlock() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (DflockdServer dying = EmbeddedServers.start(s -> { });
                DflockdClient client = DflockdClient.create(SharedServer.configOf(dying));
                DflockdLockRegistry registry = new DflockdLockRegistry(client)) {
            registry.setListener(new DflockdLockListener() {
                @Override
                public void acquired(String key, Duration waited) {
                    events.add("acquired");
                }

                @Override
                public void leaseLost(String key, Throwable cause) {
                    events.add("lost");
                }
            });
            DflockdLock lock = registry.obtain("lost");
            lock.lock();
            assertThat(lock.fence()).isPresent();
            dying.close(); // the server dies: the client notices the closed connection at once
            await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("lost"));
            assertThat(lock.isHeld()).isFalse();
            assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class)
                    .hasMessageContaining("lost");
            assertThat(lock.isHeldByCurrentThread()).isFalse();
        }
        assertThat(events).containsExactly("acquired", "lost");
    }

    @Test
    void aNestedTryLockAfterALostLeaseSaysFalseAndTheThreadHoldsNothingAnyMore() throws Exception {
        try (DflockdServer dying = EmbeddedServers.start(s -> { });
                DflockdClient client = DflockdClient.create(SharedServer.configOf(dying));
                DflockdLockRegistry registry = new DflockdLockRegistry(client)) {
            DflockdLock lock = registry.obtain("nested");
            lock.lock();
            assertThat(lock.tryLock()).isTrue();
            dying.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> !lock.isHeld());
            assertThat(lock.tryLock()).isFalse();
            assertThat(lock.getHoldCount()).isZero();
            // the next acquisition starts afresh: it goes to the (gone) server
            assertThatThrownBy(lock::tryLock).isInstanceOf(io.dflockd.client.DflockdException.class);
            assertThat(lock.getHoldCount()).isZero();
        }
    }

    @Test
    void keysAreStringsWithThePrefix() {
        a.setKeyPrefix("app/");
        assertThat(a.obtain("x").key()).isEqualTo("app/x");
        assertThatThrownBy(() -> a.obtain(42)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Strings");
        assertThatThrownBy(() -> a.obtain("has space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.obtain("k").newCondition()).isInstanceOf(UnsupportedOperationException.class);
    }
}
