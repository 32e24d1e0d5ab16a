package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static io.dflockd.client.TestServers.lockHeld;
import static io.dflockd.client.TestServers.stats;
import static io.dflockd.client.TestServers.waiters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dflockd.protocol.Stats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Renewal, lease loss, leak detection, semaphores and the {@link Lock} view against a real server. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class LeaseAndLockViewTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void renewalKeepsAShortLeaseAliveForSeveralPeriods() {
        String k = key("renew");
        try (DistributedLock lock = DistributedLock.builder(k).config(shared.config()).leaseTtl(Duration.ofSeconds(2)).build();
                DistributedLock other = DistributedLock.builder(k).config(shared.config()).build()) {
            assertThat(lock.acquire()).isTrue();
            assertThat(lock.lease()).isEqualTo(Duration.ofSeconds(2));
            String token = lock.token();
            // renewal period is 1 s; hold for 4 s = 4 periods, twice the lease. atMost only bounds how
            // slow the looks may be: a lost lease fails at once (a lost renewal drops the token)
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                    .failFast("the lease was lost", () -> !token.equals(lock.token()))
                    .until(() -> stats(shared.server()).lock(k).map(l -> l.leaseExpiresInS() > 0).orElse(false)
                            && !other.acquire(Duration.ZERO));
            assertThat(lock.isHeld()).isTrue();
            assertThat(lock.token()).isEqualTo(token);
            assertThat(lock.lease()).isEqualTo(Duration.ofSeconds(2)); // renewals asked for the configured lease
        }
    }

    @Test
    void leaseLostCallbackWhenRenewalFails() throws Exception {
        String k = key("lost");
        CompletableFuture<Object[]> lost = new CompletableFuture<>();
        try (DistributedLock lock = DistributedLock.builder(k).config(shared.config()).leaseTtl(Duration.ofSeconds(2))
                .onLeaseLost((key, token, cause) -> lost.complete(new Object[] {key, token, cause})).build()) {
            assertThat(lock.acquire()).isTrue();
            String token = lock.token();
            // tokens are bearer capabilities: release it behind the lock's back
            try (DflockdConnection c = DflockdConnection.open(shared.config())) {
                c.release(k, token);
            }
            Object[] event = lost.get(10, TimeUnit.SECONDS);
            assertThat(event[0]).isEqualTo(k);
            assertThat(event[1]).isEqualTo(token);
            assertThat(event[2]).isInstanceOf(ServerErrorException.class);
            assertThat(lock.isHeld()).isFalse();
            assertThat(lock.token()).isNull();
            // the lock can be acquired again afterwards
            assertThat(lock.acquire()).isTrue();
        }
    }

    @Test
    void noLeaseLostCallbackAfterRelease() throws Exception {
        String k = key("stale");
        CountDownLatch lost = new CountDownLatch(1);
        DistributedLock lock = DistributedLock.builder(k).config(shared.config()).leaseTtl(Duration.ofSeconds(1))
                .onLeaseLost((key, token, cause) -> lost.countDown()).build();
        assertThat(lock.acquire()).isTrue(); // renewal every 500 ms
        lock.release();
        assertThat(lock.acquire()).isTrue();
        lock.close();
        // a stale renewal task would have failed on the closed connection and fired the callback
        assertThat(lost.await(1500, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void leakedLockIsClosedByTheCleanerWithAWarning() {
        String k = key("leak");
        Logger jul = Logger.getLogger(Shared.LOGGER_NAME);
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        try {
            acquireAndForget(k);
            assertThat(lockHeld(shared.server(), k)).isTrue();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                System.gc();
                return !lockHeld(shared.server(), k);
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> records.stream().anyMatch(r ->
                    r.getLevel() == java.util.logging.Level.WARNING && r.getMessage().contains("garbage-collected")
                            && java.text.MessageFormat.format(r.getMessage(), r.getParameters()).contains(k)));
            try (DistributedLock second = DistributedLock.builder(k).config(shared.config()).build()) {
                assertThat(second.acquire(Duration.ZERO)).isTrue();
            }
        } finally {
            jul.removeHandler(capture);
        }
    }

    private static void acquireAndForget(String k) {
        DistributedLock lock = DistributedLock.builder(k).config(shared.config()).leaseTtl(Duration.ofSeconds(60)).build();
        assertThat(lock.acquire()).isTrue();
    }

    @Test
    void semaphoreAdmitsUpToItsLimit() throws Exception {
        String k = key("sem");
        try (DistributedSemaphore a = DistributedSemaphore.builder(k, 2).config(shared.config()).build();
                DistributedSemaphore b = DistributedSemaphore.builder(k, 2).config(shared.config()).build();
                DistributedSemaphore c = DistributedSemaphore.builder(k, 2).config(shared.config()).build()) {
            assertThat(a.acquire()).isTrue();
            assertThat(b.acquire()).isTrue();
            assertThat(a.token()).isNotEqualTo(b.token());
            assertThat(stats(shared.server()).semaphore(k).get()).isEqualTo(new Stats.SemaphoreStat(k, 2, 2, 0));
            assertThat(c.acquire(Duration.ZERO)).isFalse();

            CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> c.acquire(Duration.ofSeconds(20)));
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 1);
            assertThat(third).isNotDone();
            a.release();
            assertThat(third.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(c.isHeld()).isTrue();
            assertThat(c.limit()).isEqualTo(2);
        }
    }

    @Test
    void semaphoreTwoPhaseAndTryWithResources() {
        String k = key("sem2p");
        try (DistributedSemaphore s1 = DistributedSemaphore.builder(k, 1).config(shared.config()).build().acquireOrThrow();
                DistributedSemaphore s2 = DistributedSemaphore.builder(k, 1).config(shared.config()).build()) {
            assertThat(s2.enqueue()).isEqualTo(EnqueueResult.QUEUED);
            assertThat(s2.await(Duration.ofSeconds(1))).isFalse();
            assertThat(s2.enqueue()).isEqualTo(EnqueueResult.QUEUED);
            CompletableFuture.runAsync(s1::release);
            assertThat(s2.waitFor(Duration.ofSeconds(10))).isTrue();
            assertThat(s2.lease()).isEqualTo(Duration.ofSeconds(33));
            assertThat(s2.fence()).isPresent();
        }
        assertThatThrownBy(() -> {
            try (DistributedSemaphore h = DistributedSemaphore.builder(k, 1).config(shared.config()).build().acquireOrThrow();
                    DistributedSemaphore t = DistributedSemaphore.builder(k, 1).config(shared.config())
                            .acquireTimeout(Duration.ZERO).build().acquireOrThrow()) {
                throw new AssertionError(h + " " + t);
            }
        }).isInstanceOf(AcquireTimeoutException.class).hasMessageContaining("semaphore '" + k + "'");
    }

    @Test
    void semaphoreLimitMismatch() {
        String k = key("mismatch");
        try (DistributedSemaphore s = DistributedSemaphore.builder(k, 2).config(shared.config()).build().acquireOrThrow();
                DistributedSemaphore other = DistributedSemaphore.builder(k, 3).config(shared.config()).build();
                DistributedLock lock = DistributedLock.builder(k).config(shared.config()).build()) {
            assertThatThrownBy(other::acquire).isInstanceOf(LimitMismatchException.class)
                    .hasMessageContaining("sl " + k);
            assertThatThrownBy(other::enqueue).isInstanceOf(LimitMismatchException.class);
            assertThatThrownBy(lock::acquire).isInstanceOf(LimitMismatchException.class);
            assertThat(other.isHeld()).isFalse();
            assertThat(s.isHeld()).isTrue();
        }
    }

    @Test
    void lockViewSemantics() throws Exception {
        String k = key("view");
        try (DistributedLock dl = DistributedLock.builder(k).config(shared.config()).acquireTimeout(Duration.ofSeconds(1)).build();
                DistributedLock rival = DistributedLock.builder(k).config(shared.config()).build()) {
            Lock lock = dl.asLock();
            assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
            assertThatThrownBy(lock::newCondition).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("conditions");

            lock.lock();
            assertThat(dl.isHeld()).isTrue();
            lock.unlock();
            assertThat(dl.isHeld()).isFalse();

            assertThat(lock.tryLock()).isTrue();
            lock.unlock();

            assertThat(rival.acquire()).isTrue();
            assertThat(lock.tryLock()).isFalse();
            assertThat(lock.tryLock(1, TimeUnit.SECONDS)).isFalse();

            // lock() waits past the acquire timeout (1 s here) until granted, on its owner thread
            ExecutorService owner = Executors.newSingleThreadExecutor();
            try {
                Future<?> blocked = owner.submit(lock::lock);
                await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 1);
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                        .failFast("lock() returned while the rival held the lock", blocked::isDone)
                        .until(() -> !blocked.isDone());
                rival.release();
                blocked.get(10, TimeUnit.SECONDS);
                assertThat(dl.isHeld()).isTrue();
                assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class); // not the owner
                owner.submit(lock::unlock).get(10, TimeUnit.SECONDS);
            } finally {
                owner.shutdownNow();
            }

            // lockInterruptibly() withdraws its request when interrupted
            assertThat(rival.acquire()).isTrue();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    lock.lockInterruptibly();
                    outcome.set(new AssertionError("acquired"));
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            t.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 1);
            t.interrupt();
            t.join(5000);
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 0);
            rival.release();
            assertThat(dl.isHeld()).isFalse();
            assertThat(lockHeld(shared.server(), k)).isFalse();
        }
    }

    @Test
    void lockViewTryLockWithTimeoutIsInterruptible() throws Exception {
        String k = key("view-int");
        try (DistributedLock holder = DistributedLock.builder(k).config(shared.config()).build().acquireOrThrow();
                DistributedLock dl = DistributedLock.builder(k).config(shared.config()).build()) {
            Lock lock = dl.asLock();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    outcome.set(new AssertionError("returned " + lock.tryLock(30, TimeUnit.SECONDS)));
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            t.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 1);
            t.interrupt();
            t.join(5000);
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 0);
            assertThat(holder.isHeld()).isTrue();
        }
    }
}
