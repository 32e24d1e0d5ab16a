package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static io.dflockd.client.TestServers.lockHeld;
import static io.dflockd.client.TestServers.stats;
import static io.dflockd.client.TestServers.waiters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a held lock promises its user, against a real server: asking again never gives it up, the
 * {@link LockView} is reentrant per thread and keeps its FIFO place, and keys are the server's keys.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class LockSemanticsTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    private static DistributedLock.Builder lock(String k) {
        return DistributedLock.builder(k).config(shared.config());
    }

    @Test
    void acquiringAHeldLockAgainThrowsAndKeepsItAndTheQueue() throws Exception {
        String k = key("reacquire");
        try (DistributedLock holder = lock(k).build(); DistributedLock waiter = lock(k).build()) {
            assertThat(holder.acquire()).isTrue();
            String token = holder.token();
            CompletableFuture<Boolean> queued = CompletableFuture.supplyAsync(() -> waiter.acquire(Duration.ofSeconds(60)));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters(shared.server(), k) == 1);

            assertThatThrownBy(holder::acquire).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lock '" + k + "' is already held");
            assertThatThrownBy(() -> holder.acquire(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(holder::enqueue).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(holder::acquireOrThrow).isInstanceOf(IllegalStateException.class);

            // nothing moved: same token on the server, the waiter still waits
            assertThat(holder.token()).isEqualTo(token);
            assertThat(stats(shared.server()).lock(k).orElseThrow().ownerConnId()).isNotZero();
            assertThat(waiters(shared.server(), k)).isEqualTo(1);
            assertThat(queued).isNotDone();
            holder.release(); // with the original token: the server hands over to the waiter
            assertThat(queued.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aQueuedInstanceMustAwaitOrReleaseBeforeAskingAgain() {
        String k = key("requeue");
        try (DistributedLock holder = lock(k).build().acquireOrThrow(); DistributedLock waiter = lock(k).build()) {
            assertThat(waiter.enqueue()).isEqualTo(EnqueueResult.QUEUED);
            assertThatThrownBy(waiter::acquire).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("queued by enqueue()");
            assertThatThrownBy(waiter::enqueue).isInstanceOf(IllegalStateException.class);
            assertThat(waiters(shared.server(), k)).isEqualTo(1);
            holder.release();
            assertThat(waiter.await(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aSemaphoreInstanceHoldsOneSlotAndTheAsyncFormsRefuseToo() throws Exception {
        String k = key("resem");
        try (DistributedSemaphore sem = DistributedSemaphore.builder(k, 2).config(shared.config()).build().acquireOrThrow();
                AsyncDistributedLock async = lock(key("reasync")).buildAsync()) {
            assertThatThrownBy(sem::acquire).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another instance for a second slot");
            assertThat(stats(shared.server()).semaphore(k).orElseThrow().holders()).isEqualTo(1);

            assertThat(async.acquire().get(10, TimeUnit.SECONDS)).isTrue();
            String token = async.token();
            assertThatThrownBy(() -> async.acquire().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(async.token()).isEqualTo(token);
        }
    }

    @Test
    void theLockViewIsReentrantPerThreadWithAHoldCount() throws Exception {
        String k = key("reentrant");
        try (DistributedLock dl = lock(k).build()) {
            LockView l = dl.asLock();
            assertThat(dl.asLock()).isSameAs(l);
            l.lock();
            String token = dl.token();
            assertThat(l.tryLock(1, TimeUnit.SECONDS)).isTrue();
            assertThat(l.tryLock()).isTrue();
            assertThat(l.getHoldCount()).isEqualTo(3);
            assertThat(dl.token()).isEqualTo(token); // no new request, no new grant

            // another thread neither takes it nor unlocks it
            assertThat(CompletableFuture.supplyAsync(l::tryLock).get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(CompletableFuture.supplyAsync(() -> {
                try {
                    l.unlock();
                    return null;
                } catch (IllegalMonitorStateException e) {
                    return e;
                }
            }).get(10, TimeUnit.SECONDS)).hasMessageContaining("not held by this thread");

            l.unlock();
            l.unlock();
            assertThat(lockHeld(shared.server(), k)).isTrue();
            assertThat(dl.token()).isEqualTo(token);
            l.unlock(); // the outermost unlock releases on the server
            assertThat(lockHeld(shared.server(), k)).isFalse();
            assertThat(l.isHeldByCurrentThread()).isFalse();
            assertThatThrownBy(l::unlock).isInstanceOf(IllegalMonitorStateException.class);
        }
    }

    @Test
    void otherThreadsWaitForTheOwnerAndThenTakeTheLock() throws Exception {
        String k = key("threads");
        try (DistributedLock dl = lock(k).build()) {
            LockView l = dl.asLock();
            l.lock();
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
                l.lock();
                try {
                    return dl.token();
                } finally {
                    l.unlock();
                }
            });
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .failFast("a second thread got the lock while the first held it", second::isDone)
                    .until(() -> !second.isDone());
            String first = dl.token();
            l.unlock();
            assertThat(second.get(10, TimeUnit.SECONDS)).isNotNull().isNotEqualTo(first);
            assertThat(lockHeld(shared.server(), k)).isFalse();
        }
    }

    @Test
    void lockKeepsItsFifoPlaceAcrossAcquireTimeouts() throws Exception {
        String k = key("fifo");
        ExecutorService viewThread = Executors.newSingleThreadExecutor(); // the view's owner thread
        try (DistributedLock rival = lock(k).build().acquireOrThrow();
                DistributedLock viewed = lock(k).acquireTimeout(Duration.ofSeconds(1)).build();
                DistributedLock later = lock(k).build()) {
            LockView l = viewed.asLock();
            Future<?> first = viewThread.submit(l::lock);
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters(shared.server(), k) == 1);
            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> later.acquire(Duration.ofSeconds(60)));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters(shared.server(), k) == 2);
            // longer than the 1 s acquire timeout: a view that re-requested would now queue behind 'later'
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(15))
                    .failFast("a waiter gave up its place", () -> first.isDone() || second.isDone())
                    .until(() -> waiters(shared.server(), k) == 2);
            rival.release();
            first.get(10, TimeUnit.SECONDS);
            assertThat(viewed.isHeld()).isTrue();
            assertThat(second).isNotDone();
            viewThread.submit(l::unlock).get(10, TimeUnit.SECONDS);
            assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            viewThread.shutdownNow();
        }
    }

    @Test
    void closingTheViewClosesTheLock() {
        String k = key("viewclose");
        DistributedLock dl = lock(k).build();
        LockView l = dl.asLock();
        l.lock();
        assertThat(lockHeld(shared.server(), k)).isTrue();
        l.close();
        assertThat(lockHeld(shared.server(), k)).isFalse();
        assertThatThrownBy(dl::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void unlockAfterALostLeaseThrowsAndFreesTheThread() throws Exception {
        String k = key("viewlost");
        try (DistributedLock dl = lock(k).leaseTtl(Duration.ofSeconds(2)).build()) {
            LockView l = dl.asLock();
            l.lock();
            try (DflockdConnection c = DflockdConnection.open(shared.config())) {
                c.release(k, dl.token()); // behind the view's back: the next renewal (1 s) is refused
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !dl.isHeld());
            assertThatThrownBy(l::unlock).isInstanceOf(IllegalMonitorStateException.class)
                    .hasMessageContaining("lost while this thread held it");
            assertThat(l.getHoldCount()).isZero();
            assertThat(l.tryLock()).isTrue(); // usable again
            l.unlock();
        }
    }

    @Test
    void keysWithNulAreKeysOnBothSides() {
        String k = key("nul") + "\0x";
        try (DistributedLock dl = lock(k).build().acquireOrThrow()) {
            assertThat(stats(shared.server()).lock(k)).isPresent();
            try (DistributedLock other = lock(k).build()) {
                assertThat(other.acquire(Duration.ZERO)).isFalse();
            }
            assertThat(dl.isHeld()).isTrue();
        }
    }
}
