package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static io.dflockd.client.TestServers.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.protocol.FenceToken;
import io.dflockd.protocol.Sharding;
import io.dflockd.protocol.Stats;
import io.dflockd.server.DflockdServer;
import io.dflockd.testing.RefusedPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The low-level calls and the typed exception of every status a real server can be made to send. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class DflockdConnectionTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void statsOfABigServerAreLongerThanOneMebibyteAndStillRead() {
        String prefix = key("big") + "-" + "k".repeat(220) + "-";
        DflockdServer big = TestServers.start(b -> b.maxLocks(10_000)); // its own: the default cap is 1024
        try (big; DflockdConnection holder = DflockdConnection.open(TestServers.config(big));
                DflockdConnection c = DflockdConnection.open(TestServers.config(big))) {
            for (int i = 0; i < 5_000; i++) {
                holder.acquire(prefix + i, Duration.ZERO);
            }
            Stats s = c.stats(); // about 1.4 MB of JSON: above the 1 MiB cap of every other reply
            assertThat(s.locks().stream().filter(l -> l.key().startsWith(prefix)).count()).isEqualTo(5_000);
        }
    }

    @Test
    void lockCommands() {
        String k = key("ll");
        try (DflockdConnection c = DflockdConnection.open(shared.config())) {
            assertThat(c.isOpen()).isTrue();
            assertThat(c.server().getPort()).isEqualTo(shared.server().port());
            Grant g = c.acquire(k, Duration.ofSeconds(5));
            assertThat(FenceToken.isWellFormed(g.token())).isTrue();
            assertThat(g.leaseSeconds()).isEqualTo(33);
            assertThat(c.renew(k, g.token())).isEqualTo(33);
            // leases well below the default 33 s, but long enough that a stalled CI machine cannot
            // let them run out between the steps that rely on them
            assertThat(c.renew(k, g.token(), Duration.ofSeconds(20))).isEqualTo(20);
            assertThat(stats(shared.server()).lock(k).get().leaseExpiresInS()).isBetween(10.0, 20.0);
            c.release(k, g.token());
            assertThatThrownBy(() -> c.release(k, g.token())).isInstanceOf(ServerErrorException.class)
                    .hasMessageContaining("'error'");
            assertThatThrownBy(() -> c.renew(k, g.token())).isInstanceOf(ServerErrorException.class);
            assertThat(c.isOpen()).isTrue(); // status errors keep the connection usable

            Grant leased = c.acquire(k, Duration.ZERO, Duration.ofSeconds(20));
            assertThat(leased.leaseSeconds()).isEqualTo(20);
            try (DflockdConnection other = DflockdConnection.open(shared.config())) {
                assertThatThrownBy(() -> other.acquire(k, Duration.ZERO)).isInstanceOf(AcquireTimeoutException.class);
                assertThatThrownBy(() -> other.acquire(k, Duration.ofMillis(100)))
                        .isInstanceOf(AcquireTimeoutException.class);
                other.release(k, leased.token()); // bearer token: any connection may release
            }
            c.ping();
            c.barrier(); // a standalone server has nothing to wait for
            assertThat(stats(shared.server()).cluster()).as("standalone: no cluster object").isNull();
        }
    }

    @Test
    void twoPhaseCommands() throws Exception {
        String k = key("ll2p");
        try (DflockdConnection a = DflockdConnection.open(shared.config()); DflockdConnection b = DflockdConnection.open(shared.config())) {
            EnqueueResponse first = a.enqueue(k);
            assertThat(first.status()).isEqualTo(EnqueueResult.ACQUIRED);
            assertThat(first.grant().leaseSeconds()).isEqualTo(33);
            assertThatThrownBy(() -> a.enqueue(k)).isInstanceOf(AlreadyEnqueuedException.class);
            Grant same = a.waitFor(k, Duration.ZERO);
            assertThat(same.token()).isEqualTo(first.grant().token());

            EnqueueResponse second = b.enqueue(k, Duration.ofSeconds(9));
            assertThat(second.status()).isEqualTo(EnqueueResult.QUEUED);
            assertThat(second.grant()).isNull();
            CompletableFuture<Grant> granted = CompletableFuture.supplyAsync(() -> b.waitFor(k, Duration.ofSeconds(10)));
            a.release(k, same.token());
            Grant g = granted.get(5, TimeUnit.SECONDS);
            assertThat(g.leaseSeconds()).isEqualTo(9);
            assertThatThrownBy(() -> b.waitFor(k, Duration.ZERO)).isInstanceOf(NotEnqueuedException.class)
                    .hasMessageContaining("w " + k);
            b.release(k, g.token());
        }
    }

    @Test
    void semaphoreCommands() throws Exception {
        String k = key("llsem");
        try (DflockdConnection a = DflockdConnection.open(shared.config()); DflockdConnection b = DflockdConnection.open(shared.config())) {
            Grant g1 = a.semAcquire(k, Duration.ofSeconds(1), 2);
            Grant g2 = a.semAcquire(k, Duration.ofSeconds(1), 2, Duration.ofSeconds(4));
            assertThat(g2.leaseSeconds()).isEqualTo(4);
            assertThat(stats(shared.server()).semaphore(k).get().holders()).isEqualTo(2);
            assertThatThrownBy(() -> b.semAcquire(k, Duration.ZERO, 2)).isInstanceOf(AcquireTimeoutException.class);
            assertThatThrownBy(() -> b.semAcquire(k, Duration.ZERO, 5)).isInstanceOf(LimitMismatchException.class);
            assertThatThrownBy(() -> b.acquire(k, Duration.ZERO)).isInstanceOf(LimitMismatchException.class);
            assertThat(a.semRenew(k, g1.token())).isEqualTo(33);
            assertThat(a.semRenew(k, g1.token(), Duration.ofSeconds(6))).isEqualTo(6);

            assertThat(b.semEnqueue(k, 2).status()).isEqualTo(EnqueueResult.QUEUED);
            assertThatThrownBy(() -> b.semEnqueue(k, 2)).isInstanceOf(AlreadyEnqueuedException.class);
            CompletableFuture<Grant> w = CompletableFuture.supplyAsync(() -> b.semWaitFor(k, Duration.ofSeconds(10)));
            a.semRelease(k, g1.token());
            Grant g3 = w.get(5, TimeUnit.SECONDS);
            assertThat(g3.token()).isNotIn(g1.token(), g2.token());
            assertThatThrownBy(() -> b.semWaitFor(k, Duration.ZERO)).isInstanceOf(NotEnqueuedException.class);
            assertThat(b.semEnqueue(k, 2, Duration.ofSeconds(5)).status()).isEqualTo(EnqueueResult.QUEUED);
            a.semRelease(k, g2.token());
            assertThat(b.semWaitFor(k, Duration.ofSeconds(5)).leaseSeconds()).isEqualTo(5);
        }
    }

    @Test
    void statsAndSignalEmit() {
        String k = key("llstats");
        try (DflockdConnection c = DflockdConnection.open(shared.config())) {
            Grant g = c.acquire(k, Duration.ZERO);
            Stats s = c.stats();
            assertThat(s.connections()).isGreaterThanOrEqualTo(1);
            Stats.LockStat l = s.lock(k).orElseThrow();
            assertThat(l.ownerConnId()).isPositive();
            assertThat(l.waiters()).isZero();
            assertThat(l.leaseExpiresInS()).isBetween(30.0, 33.0);
            c.release(k, g.token());
            assertThat(c.stats().lock(k)).isEmpty();
            assertThat(c.stats().idleLocks()).extracting(Stats.IdleStat::key).contains(k);
            assertThat(c.emitSignal("nobody.listens", "hello world")).isZero();
            assertThatThrownBy(() -> c.emitSignal("a.*", "x")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void argumentsAreValidatedBeforeTheWire() {
        try (DflockdConnection c = DflockdConnection.open(shared.config())) {
            assertThatThrownBy(() -> c.acquire("bad key", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.release("k", "nothex")).hasMessageContaining("32 lowercase hex");
            assertThatThrownBy(() -> c.acquire("k", Duration.ofSeconds(-1))).hasMessageContaining("negative");
            assertThatThrownBy(() -> c.semAcquire("k", Duration.ZERO, 0)).hasMessageContaining("at least 1");
            assertThatThrownBy(() -> c.acquire("k", Duration.ZERO, Duration.ZERO)).hasMessageContaining("positive");
            assertThat(c.isOpen()).isTrue();
            c.ping();
            c.barrier(); // a standalone server has nothing to wait for
            assertThat(stats(shared.server()).cluster()).as("standalone: no cluster object").isNull();
        }
    }

    @Test
    void capsProduceTypedExceptions() {
        try (DflockdServer small = TestServers.start(b -> b.maxLocks(1).maxWaiters(1))) {
            ClientConfig cfg = TestServers.config(small);
            try (DflockdConnection a = DflockdConnection.open(cfg); DflockdConnection b = DflockdConnection.open(cfg);
                    DflockdConnection c = DflockdConnection.open(cfg)) {
                a.acquire("one", Duration.ZERO);
                assertThatThrownBy(() -> b.acquire("two", Duration.ZERO)).isInstanceOf(MaxLocksException.class)
                        .hasMessageContaining("127.0.0.1:" + small.port());
                assertThatThrownBy(() -> b.enqueue("two")).isInstanceOf(MaxLocksException.class);
                assertThat(b.enqueue("one").status()).isEqualTo(EnqueueResult.QUEUED);
                assertThatThrownBy(() -> c.acquire("one", Duration.ofSeconds(1))).isInstanceOf(MaxWaitersException.class);
                assertThatThrownBy(() -> c.semEnqueue("one", 1)).isInstanceOf(MaxWaitersException.class);
            }
            // the server handles those disconnects asynchronously; wait until it has released "one"
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> !TestServers.lockHeld(small, "one") && TestServers.waiters(small, "one") == 0);
            // and through the high-level type
            try (DflockdConnection a = DflockdConnection.open(cfg);
                    DistributedLock l = DistributedLock.builder("other").config(cfg).build()) {
                a.acquire("one", Duration.ZERO);
                assertThatThrownBy(l::acquire).isInstanceOf(MaxLocksException.class);
                assertThat(l.isHeld()).isFalse();
            }
        }
    }

    @Test
    void closeAbortsABlockedCall() throws Exception {
        String k = key("abort");
        try (DflockdConnection holder = DflockdConnection.open(shared.config())) {
            holder.acquire(k, Duration.ZERO);
            DflockdConnection c = DflockdConnection.open(shared.config());
            CompletableFuture<Grant> blocked = CompletableFuture.supplyAsync(() -> c.acquire(k, Duration.ofSeconds(30)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> TestServers.waiters(shared.server(), k) == 1);
            c.close();
            assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(DflockdIOException.class)
                    .hasMessageContaining("closed by the client");
            assertThat(c.isOpen()).isFalse();
            assertThatThrownBy(c::ping).isInstanceOf(DflockdIOException.class).hasMessageContaining("closed");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> TestServers.waiters(shared.server(), k) == 0);
        }
    }

    @Test
    void ioFailureNamesTheServer() throws Exception {
        try (RefusedPort refused = new RefusedPort()) {
            int closedPort = refused.port();
            assertThatThrownBy(() -> DflockdConnection.open("127.0.0.1:" + closedPort))
                    .isInstanceOf(DflockdIOException.class).hasMessage("127.0.0.1:" + closedPort + ": connection refused")
                    .satisfies(e -> assertThat(((DflockdException) e).server().getPort()).isEqualTo(closedPort));
        }
        assertThatThrownBy(() -> DflockdConnection.open(ClientConfig.builder().server("no-such-host.invalid:6388").build()))
                .isInstanceOf(DflockdIOException.class).hasMessage("no-such-host.invalid:6388: unknown host");
    }

    @Test
    void shardingOverThreeServers() {
        DflockdServer[] servers = {TestServers.start(), TestServers.start(), TestServers.start()};
        try {
            ClientConfig cfg = TestServers.config(servers);
            List<DistributedLock> locks = new ArrayList<>();
            // fixed keys cover every server ("reports" → 1, "ключ" → 0, the rest → 2), so the check that
            // each server got a key does not depend on where the random ones land
            List<String> keys = new ArrayList<>(List.of("my-key", "worker-pool", "foo", "order:42", "ключ", "reports"));
            for (int i = 0; i < 10; i++) {
                keys.add(key("shard" + i));
            }
            try {
                for (String k : keys) {
                    DistributedLock l = DistributedLock.builder(k).config(cfg).build();
                    locks.add(l);
                    assertThat(l.acquire()).isTrue();
                    assertThat(l.server().getPort()).isEqualTo(servers[Sharding.crc32Index(k, 3)].port());
                }
                assertThat(Sharding.crc32Index("my-key", 3)).isEqualTo(2); // PROTOCOL.md §14.2
                assertThat(Sharding.crc32Index("reports", 3)).isEqualTo(1);
                assertThat(Sharding.crc32Index("ключ", 3)).isZero();
                for (String k : keys) {
                    int expected = Sharding.crc32Index(k, 3);
                    for (int s = 0; s < 3; s++) {
                        assertThat(stats(servers[s]).lock(k).isPresent()).as("key %s on shared.server() %d", k, s)
                                .isEqualTo(s == expected);
                    }
                }
                // every server got at least one key, so the check above exercised all three
                for (DflockdServer s : servers) {
                    assertThat(stats(s).locks()).isNotEmpty();
                }
            } finally {
                locks.forEach(DistributedLock::close);
            }
            // a custom strategy routes everything to the last server
            ClientConfig last = cfg.toBuilder().shardingStrategy((key, n) -> n - 1).build();
            String pool = "pool-a"; // CRC-32 would put it on server 0
            assertThat(Sharding.crc32Index(pool, 3)).isZero();
            try (DistributedSemaphore s = DistributedSemaphore.builder(pool, 2).config(last).build().acquireOrThrow()) {
                assertThat(stats(servers[2]).semaphore(pool)).isPresent();
                assertThat(stats(servers[0]).semaphore(pool)).isEmpty();
            }
        } finally {
            for (DflockdServer s : servers) {
                s.close();
            }
        }
    }
}
