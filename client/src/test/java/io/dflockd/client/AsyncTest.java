package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static io.dflockd.client.TestServers.lockHeld;
import static io.dflockd.client.TestServers.stats;
import static io.dflockd.client.TestServers.waiters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dflockd.protocol.Stats;
import io.dflockd.server.DflockdServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CompletableFuture / Flow API against a real server, including cancellation. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class AsyncTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void asyncLockLifecycle() throws Exception {
        String k = key("alock");
        try (AsyncDistributedLock lock = DistributedLock.builder(k).config(shared.config()).buildAsync();
                AsyncDistributedLock other = DistributedLock.builder(k).config(shared.config()).buildAsync()) {
            assertThat(lock.key()).isEqualTo(k);
            assertThat(lock.server().getPort()).isEqualTo(shared.server().port());
            assertThat(lock.acquire().get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(lock.isHeld()).isTrue();
            assertThat(lock.lease()).isEqualTo(Duration.ofSeconds(33));
            assertThat(lock.fence()).isPresent();
            assertThat(other.acquire(Duration.ZERO).get(5, TimeUnit.SECONDS)).isFalse();
            assertThatThrownBy(() -> DistributedLock.builder(k).config(shared.config()).acquireTimeout(Duration.ZERO).buildAsync()
                    .acquireOrThrow().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AcquireTimeoutException.class);

            assertThat(other.enqueue().get(5, TimeUnit.SECONDS)).isEqualTo(EnqueueResult.QUEUED);
            CompletableFuture<Boolean> waited = other.await(Duration.ofSeconds(10));
            lock.release().get(5, TimeUnit.SECONDS);
            assertThat(lock.isHeld()).isFalse();
            assertThat(lock.token()).isNull();
            assertThat(waited.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(other.waitFor(Duration.ZERO).getNow(false)).isTrue(); // held: completes at once
            assertThat(other.await().get(1, TimeUnit.SECONDS)).isTrue();
            assertThat(lockHeld(shared.server(), k)).isTrue();
        }
        assertThat(lockHeld(shared.server(), k)).isFalse();
    }

    @Test
    void asyncAcquireOrThrowSucceeds() throws Exception {
        String k = key("aok");
        try (AsyncDistributedLock lock = DistributedLock.builder(k).config(shared.config()).buildAsync()) {
            assertThat(lock.acquireOrThrow().get(5, TimeUnit.SECONDS)).isSameAs(lock);
            assertThat(lock.token()).isNotNull();
        }
    }

    @Test
    void cancellingAPendingAcquireLeavesNothingBehind() throws Exception {
        String k = key("cancel");
        try (DistributedLock holder = DistributedLock.builder(k).config(shared.config()).build().acquireOrThrow();
                AsyncDistributedLock lock = DistributedLock.builder(k).config(shared.config()).buildAsync()) {
            CompletableFuture<Boolean> pending = lock.acquire(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 1);
            assertThat(pending.cancel(true)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 0);
            holder.release();
            // nobody was granted the lock behind our back: free at every look for 500 ms (a look
            // that finds it held fails at once; atMost only bounds how slow the looks may be)
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .failFast("the cancelled acquire was granted", () -> lockHeld(shared.server(), k))
                    .until(() -> !lockHeld(shared.server(), k));
            assertThat(lock.isHeld()).isFalse();
            // the instance stays usable
            assertThat(lock.acquire().get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void cancellingAPendingEnqueueWaitLeavesNothingBehind() throws Exception {
        String k = key("cancel2p");
        try (DistributedSemaphore holder = DistributedSemaphore.builder(k, 1).config(shared.config()).build().acquireOrThrow();
                AsyncDistributedSemaphore sem = DistributedSemaphore.builder(k, 1).config(shared.config()).buildAsync()) {
            assertThat(sem.limit()).isEqualTo(1);
            assertThat(sem.enqueue().get(5, TimeUnit.SECONDS)).isEqualTo(EnqueueResult.QUEUED);
            CompletableFuture<Boolean> waiting = sem.await(Duration.ofSeconds(60));
            assertThat(waiters(shared.server(), k)).isEqualTo(1);
            assertThat(waiting.cancel(true)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 0);
            holder.release();
            Callable<Boolean> nothingHeld = () -> {
                Stats s = stats(shared.server());
                return s.semaphore(k).isEmpty() && s.lock(k).isEmpty();
            };
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .failFast("the cancelled wait was granted", () -> !nothingHeld.call())
                    .until(nothingHeld);
            assertThat(sem.isHeld()).isFalse();
        }
    }

    @Test
    void cancellationRacingTheGrantReleasesIt() throws Exception {
        // cancel immediately after the request: whether the grant or the cancel wins, nothing stays held
        for (int i = 0; i < 20; i++) {
            String k = key("race" + i);
            try (AsyncDistributedLock lock = DistributedLock.builder(k).config(shared.config()).buildAsync()) {
                CompletableFuture<Boolean> f = lock.acquire(Duration.ofSeconds(5));
                Thread.sleep(i % 5);
                boolean cancelled = f.cancel(true);
                if (cancelled) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> !lockHeld(shared.server(), k) && !lock.isHeld());
                } else {
                    assertThat(f.get()).isTrue();
                    assertThat(lock.isHeld()).isTrue();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !lockHeld(shared.server(), k));
        }
    }

    @Test
    void asyncSemaphoreAndErrors() throws Exception {
        String k = key("asem");
        try (AsyncDistributedSemaphore a = DistributedSemaphore.builder(k, 2).config(shared.config()).buildAsync();
                AsyncDistributedSemaphore b = DistributedSemaphore.builder(k, 2).config(shared.config()).buildAsync();
                AsyncDistributedSemaphore wrong = DistributedSemaphore.builder(k, 5).config(shared.config()).buildAsync()) {
            assertThat(a.acquire().get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(b.acquireOrThrow().get(5, TimeUnit.SECONDS)).isSameAs(b);
            assertThat(stats(shared.server()).semaphore(k).get().holders()).isEqualTo(2);
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> wrong.acquire().get(5, TimeUnit.SECONDS));
            assertThat(e.getCause()).isInstanceOf(LimitMismatchException.class);
            assertThat(a.toString()).contains("limit 2");
        }
    }

    @Test
    void asyncSignalConnPublishesThroughFlow() throws Exception {
        String ns = key("flow");
        AsyncSignalConn sc = SignalConn.builder().server("127.0.0.1:" + shared.server().port()).buildAsync();
        FlowRecorder<Signal> recorder = new FlowRecorder<>();
        java.util.Collection<Signal> received = recorder.items;
        CompletableFuture<Void> completed = recorder.completed;
        sc.signals().subscribe(recorder);
        assertThat(sc.connect().get(5, TimeUnit.SECONDS)).isSameAs(sc);
        assertThat(sc.isConnected()).isTrue();
        sc.listen(ns + ".*").get(5, TimeUnit.SECONDS);
        sc.listen(ns + ".x", "g").get(5, TimeUnit.SECONDS);
        sc.ping().get(5, TimeUnit.SECONDS);
        // several commands in flight at once: sent one at a time, each future gets its own reply
        CompletableFuture<Integer> n1 = sc.emit(ns + ".x", "one");
        CompletableFuture<Integer> n2 = sc.emit(ns + ".y", "two");
        assertThat(n1.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(n2.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);
        assertThat(received).containsExactlyInAnyOrder(new Signal(ns + ".x", "one"), new Signal(ns + ".x", "one"),
                new Signal(ns + ".y", "two"));
        sc.unlisten(ns + ".*").get(5, TimeUnit.SECONDS);
        sc.unlisten(ns + ".x", "g").get(5, TimeUnit.SECONDS);
        assertThat(sc.emit(ns + ".x", "none").get(5, TimeUnit.SECONDS)).isZero();
        assertThat(sc.droppedSignals()).isZero();
        sc.close();
        completed.get(5, TimeUnit.SECONDS);
        assertThat(sc.isConnected()).isFalse();
        assertThatThrownBy(() -> sc.ping().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(DflockdIOException.class);
    }

    @Test
    void asyncSignalConnReportsALostConnection() throws Exception {
        DflockdServer doomed = TestServers.start();
        AsyncSignalConn sc = SignalConn.builder().server("127.0.0.1:" + doomed.port()).buildAsync();
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        sc.signals().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(Signal item) {
            }

            @Override
            public void onError(Throwable t) {
                error.complete(t);
            }

            @Override
            public void onComplete() {
                error.complete(null);
            }
        });
        sc.connect().get(5, TimeUnit.SECONDS);
        doomed.close();
        assertThat(error.get(10, TimeUnit.SECONDS)).isInstanceOf(DflockdIOException.class);
        sc.close();
    }
}
