package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static io.dflockd.client.TestServers.lockHeld;
import static io.dflockd.client.TestServers.stats;
import static io.dflockd.client.TestServers.waiters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dflockd.protocol.FenceToken;
import io.dflockd.server.DflockdServer;
import io.dflockd.testing.RefusedPort;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DistributedLock} against a real embedded server over TCP. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class DistributedLockTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    private DistributedLock.Builder lock(String key) {
        return DistributedLock.builder(key).config(shared.config());
    }

    @Test
    void acquireAndReleaseRoundTrip() {
        String k = key("round");
        DistributedLock lock = lock(k).build();
        try {
            assertThat(lock.isHeld()).isFalse();
            assertThat(lock.acquire()).isTrue();
            assertThat(lock.isHeld()).isTrue();
            assertThat(FenceToken.isWellFormed(lock.token())).isTrue();
            assertThat(lock.lease()).isEqualTo(Duration.ofSeconds(33)); // server default
            assertThat(lock.fence()).hasValue(FenceToken.fence(lock.token()));
            assertThat(lock.key()).isEqualTo(k);
            assertThat(lock.server().getPort()).isEqualTo(shared.server().port());
            assertThat(lockHeld(shared.server(), k)).isTrue();

            lock.release();
            assertThat(lock.isHeld()).isFalse();
            assertThat(lock.token()).isNull();
            assertThat(lock.lease()).isEqualTo(Duration.ZERO);
            assertThat(lock.fence()).isEmpty();
            assertThat(lockHeld(shared.server(), k)).isFalse();
            lock.release(); // no-op when not held

            assertThat(lock.acquire(Duration.ofSeconds(1))).isTrue(); // reusable after release
            assertThat(lock.toString()).contains(k).contains("held");
        } finally {
            lock.close();
        }
        assertThat(lockHeld(shared.server(), k)).isFalse();
    }

    @Test
    void configuredLeaseIsRequested() {
        String k = key("lease");
        try (DistributedLock lock = lock(k).leaseTtl(Duration.ofMillis(19_500)).build().acquireOrThrow()) {
            assertThat(lock.lease()).isEqualTo(Duration.ofSeconds(20)); // rounded up
            assertThat(stats(shared.server()).lock(k).get().leaseExpiresInS()).isBetween(10.0, 20.0);
        }
    }

    @Test
    void tryWithResourcesAcquiresAndReleases() {
        String k = key("twr");
        try (DistributedLock lock = lock(k).build().acquireOrThrow()) {
            assertThat(lock.isHeld()).isTrue();
            assertThat(lockHeld(shared.server(), k)).isTrue();
        }
        assertThat(lockHeld(shared.server(), k)).isFalse();
    }

    @Test
    void tryWithResourcesThrowsWhenNotGranted() {
        String k = key("twr-timeout");
        try (DistributedLock holder = lock(k).build().acquireOrThrow()) {
            DistributedLock contender = lock(k).acquireTimeout(Duration.ofSeconds(1)).build();
            assertThatThrownBy(() -> {
                try (DistributedLock l = contender.acquireOrThrow()) {
                    throw new AssertionError("must not get here, holder " + holder.token() + ", got " + l.token());
                }
            }).isInstanceOf(AcquireTimeoutException.class)
                    .hasMessageStartingWith("127.0.0.1:" + shared.server().port() + ": ")
                    .hasMessageContaining(k);
            assertThat(contender.isHeld()).isFalse();
            assertThat(waiters(shared.server(), k)).isZero();
            contender.close();
        }
    }

    @Test
    void manualAcquireReturnsFalseOnTimeoutAndLeavesNoWaiter() {
        String k = key("manual");
        try (DistributedLock holder = lock(k).build()) {
            assertThat(holder.acquire()).isTrue();
            try (DistributedLock other = lock(k).build()) {
                long start = System.nanoTime();
                assertThat(other.acquire(Duration.ofMillis(200))).isFalse(); // rounds up to 1 s on the wire
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
                assertThat(other.isHeld()).isFalse();
                assertThat(other.acquire(Duration.ZERO)).isFalse(); // try-lock
                assertThat(waiters(shared.server(), k)).isZero();
            }
        }
    }

    @Test
    void fifoHandOffBetweenLocks() throws Exception {
        String k = key("fifo");
        try (DistributedLock a = lock(k).build(); DistributedLock b = lock(k).build();
                DistributedLock c = lock(k).build()) {
            assertThat(a.acquire()).isTrue();
            CompletableFuture<Boolean> bGot = CompletableFuture.supplyAsync(() -> b.acquire(Duration.ofSeconds(20)));
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 1);
            CompletableFuture<Boolean> cGot = CompletableFuture.supplyAsync(() -> c.acquire(Duration.ofSeconds(20)));
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 2);

            a.release();
            assertThat(bGot.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cGot).isNotDone();
            assertThat(waiters(shared.server(), k)).isEqualTo(1);
            assertThat(Long.compareUnsigned(b.fence().getAsLong(), 0)).isPositive();

            String bToken = b.token();
            b.release();
            assertThat(cGot.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(c.token()).isNotEqualTo(bToken);
            assertThat(Long.compareUnsigned(c.fence().getAsLong(), FenceToken.fence(bToken))).isPositive();
        }
    }

    @Test
    void twoPhaseFastPathNeedsNoWait() {
        String k = key("2p-fast");
        try (DistributedLock lock = lock(k).build()) {
            assertThat(lock.enqueue()).isEqualTo(EnqueueResult.ACQUIRED);
            assertThat(lock.isHeld()).isTrue();
            String token = lock.token();
            assertThat(lock.await(Duration.ofSeconds(1))).isTrue();
            assertThat(lock.waitFor(Duration.ZERO)).isTrue();
            assertThat(lock.token()).isEqualTo(token);
            assertThat(lockHeld(shared.server(), k)).isTrue();
        }
        assertThat(lockHeld(shared.server(), k)).isFalse();
    }

    @Test
    void twoPhaseQueuedPath() {
        String k = key("2p-queued");
        try (DistributedLock holder = lock(k).build(); DistributedLock lock = lock(k).build()) {
            assertThat(holder.acquire()).isTrue();
            assertThat(lock.enqueue()).isEqualTo(EnqueueResult.QUEUED);
            assertThat(lock.isHeld()).isFalse();
            assertThat(waiters(shared.server(), k)).isEqualTo(1);
            CompletableFuture.runAsync(holder::release);
            assertThat(lock.await(Duration.ofSeconds(10))).isTrue();
            assertThat(lock.isHeld()).isTrue();
            assertThat(lock.lease()).isEqualTo(Duration.ofSeconds(33));
            assertThat(waiters(shared.server(), k)).isZero();
        }
    }

    @Test
    void twoPhaseWaitTimesOut() {
        String k = key("2p-timeout");
        try (DistributedLock holder = lock(k).build(); DistributedLock lock = lock(k).build()) {
            assertThat(holder.acquire()).isTrue();
            assertThat(lock.enqueue()).isEqualTo(EnqueueResult.QUEUED);
            assertThat(lock.waitFor(Duration.ofSeconds(1))).isFalse();
            assertThat(waiters(shared.server(), k)).isZero();
            assertThatThrownBy(lock::await).isInstanceOf(IllegalStateException.class); // must enqueue again
            assertThat(lock.enqueue()).isEqualTo(EnqueueResult.QUEUED);
            lock.release(); // gives up the queue position by closing the connection
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(shared.server(), k) == 0);
        }
    }

    @Test
    void acquiringAgainAfterReleaseUsesANewConnectionAndToken() {
        String k = key("again");
        try (DistributedLock lock = lock(k).build()) {
            assertThat(lock.acquire()).isTrue();
            String first = lock.token();
            lock.release();
            assertThat(lock.acquire(Duration.ofSeconds(5))).isTrue();
            assertThat(lock.token()).isNotEqualTo(first);
            try (DflockdConnection c = DflockdConnection.open(shared.config())) {
                assertThatThrownBy(() -> c.renew(k, first)).isInstanceOf(ServerErrorException.class);
                assertThat(c.renew(k, lock.token())).isEqualTo(33);
            }
        }
    }

    @Test
    void connectFailureNamesTheServer() throws Exception {
        try (RefusedPort refused = new RefusedPort()) {
            ClientConfig dead = ClientConfig.builder().server(refused.hostPort()).build();
            try (DistributedLock lock = DistributedLock.builder(key("dead")).config(dead).build()) {
                assertThatThrownBy(lock::acquire).isInstanceOf(DflockdIOException.class)
                        .hasMessage(refused.hostPort() + ": connection refused");
                assertThat(lock.isHeld()).isFalse();
            }
        }
    }

    @Test
    void serverDrainFailsBlockedCallsAndLosesLeases() throws Exception {
        DflockdServer draining = TestServers.start();
        ClientConfig cfg = TestServers.config(draining);
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        try (DistributedLock holder = DistributedLock.builder("drain").config(cfg).leaseTtl(Duration.ofSeconds(2))
                .onLeaseLost((k, t, cause) -> lost.complete(cause)).build();
                DistributedLock contender = DistributedLock.builder("drain").config(cfg).build()) {
            assertThat(holder.acquire()).isTrue();
            CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> contender.acquire(Duration.ofSeconds(30)));
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(draining, "drain") == 1);
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> draining.shutdownGracefully(Duration.ofSeconds(5)));
            assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(DrainingException.class);
            assertThat(contender.isHeld()).isFalse();
            // the holder's next renewal is refused: the lease is reported lost
            assertThat(lost.get(10, TimeUnit.SECONDS)).isInstanceOf(DflockdException.class);
            assertThat(holder.isHeld()).isFalse();
            shutdown.get(10, TimeUnit.SECONDS);
        } finally {
            draining.close();
        }
    }
}
