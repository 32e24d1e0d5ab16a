package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DistributedReadWriteLock}, its async form and the low-level read-write calls against a real server. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class DistributedReadWriteLockTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private DistributedReadWriteLock rw(String key) {
        DistributedReadWriteLock l = DistributedReadWriteLock.builder(key).config(shared.config())
                .acquireTimeout(WAIT).build();
        opened.add(l);
        return l;
    }

    /** Joins the queue now (so the order on the server is known) and waits for the grant on another thread. */
    private static CompletableFuture<Boolean> queueAndAwait(DistributedPrimitive side) {
        assertThat(side.enqueue()).isEqualTo(EnqueueResult.QUEUED);
        return CompletableFuture.supplyAsync(side::await);
    }

    @Test
    void twoReadersHoldTogetherAndAWriterWaitsForBoth() throws Exception {
        String k = key("rw-readers");
        DistributedReadWriteLock a = rw(k);
        DistributedReadWriteLock b = rw(k);
        DistributedReadWriteLock w = rw(k);
        assertThat(a.reader().acquire(Duration.ZERO)).isTrue();
        assertThat(b.reader().acquire(Duration.ZERO)).isTrue();
        assertThat(a.reader().token()).isNotEqualTo(b.reader().token());
        assertThat(w.writer().acquire(Duration.ZERO)).as("a try-lock while readers hold").isFalse();

        CompletableFuture<Boolean> writer = queueAndAwait(w.writer());
        a.reader().release();
        Thread.sleep(300);
        assertThat(writer).as("one reader still holds").isNotDone();
        b.reader().release();
        assertThat(writer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(w.writer().isHeld()).isTrue();
        assertThat(a.reader().acquire(Duration.ZERO)).as("no reader while the writer holds").isFalse();
        assertThat(b.writer().acquire(Duration.ZERO)).as("one writer at a time").isFalse();
    }

    @Test
    void aQueuedWriterMakesALaterReaderWaitAndFencesFollowTheGrants() throws Exception {
        String k = key("rw-fifo");
        DistributedReadWriteLock first = rw(k);
        DistributedReadWriteLock writer = rw(k);
        DistributedReadWriteLock later = rw(k);
        assertThat(first.reader().acquire(Duration.ZERO)).isTrue();
        long firstFence = Fencing.fenceOf(first.reader());

        assertThat(writer.writer().enqueue()).isEqualTo(EnqueueResult.QUEUED);
        assertThat(later.reader().acquire(Duration.ZERO)).as("a reader may not pass the queued writer").isFalse();
        CompletableFuture<Boolean> laterReader = queueAndAwait(later.reader());

        first.reader().release();
        assertThat(writer.writer().await(WAIT)).isTrue();
        long writerFence = Fencing.fenceOf(writer.writer());
        Thread.sleep(300);
        assertThat(laterReader).as("the writer holds").isNotDone();

        writer.writer().release();
        assertThat(laterReader.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        long laterFence = Fencing.fenceOf(later.reader());
        assertThat(Fencing.supersedes(writerFence, firstFence)).isTrue();
        assertThat(Fencing.supersedes(laterFence, writerFence)).isTrue();
    }

    @Test
    void eachSidesLeaseIsRenewedInTheBackgroundPastItsTtl() throws Exception {
        String k = key("rw-renew");
        try (DistributedReadWriteLock held = DistributedReadWriteLock.builder(k).config(shared.config())
                .leaseTtl(Duration.ofSeconds(2)).build()) {
            DistributedReadWriteLock rival = rw(k);
            assertThat(held.reader().acquire()).isTrue();
            String token = held.reader().token();
            // renewal every second; 4 s is twice the lease: a missed renewal would let the rival in
            await().during(Duration.ofSeconds(4)).atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .failFast("the read lease was lost", () -> !token.equals(held.reader().token()))
                    .until(() -> !rival.writer().acquire(Duration.ZERO));
            assertThat(held.reader().leaseLost()).isNotDone();
            held.reader().release();

            assertThat(held.writer().acquire()).isTrue();
            String writeToken = held.writer().token();
            await().during(Duration.ofSeconds(4)).atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .failFast("the write lease was lost", () -> !writeToken.equals(held.writer().token()))
                    .until(() -> !rival.reader().acquire(Duration.ZERO));
            assertThat(held.writer().lease()).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void aLockKeyAndAReadWriteKeyRefuseEachOthersRequests() throws Exception {
        String lockKey = key("rw-mismatch-l");
        String rwKey = key("rw-mismatch-rw");
        try (DistributedLock lock = DistributedLock.builder(lockKey).config(shared.config()).build().acquireOrThrow();
                DistributedReadWriteLock onLock = DistributedReadWriteLock.builder(lockKey).config(shared.config()).build();
                DistributedReadWriteLock held = DistributedReadWriteLock.builder(rwKey).config(shared.config()).build();
                DistributedSemaphore onRw = DistributedSemaphore.builder(rwKey, 2).config(shared.config()).build()) {
            assertThatThrownBy(() -> onLock.reader().acquire()).isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("rl " + lockKey);
            assertThatThrownBy(() -> onLock.writer().enqueue()).isInstanceOf(TypeMismatchException.class);
            assertThat(onLock.reader().isHeld()).isFalse();
            assertThat(lock.isHeld()).isTrue();

            assertThat(held.writer().acquire()).isTrue();
            assertThatThrownBy(() -> onRw.acquire()).isInstanceOf(TypeMismatchException.class);
            try (DflockdConnection c = DflockdConnection.open(shared.config())) {
                assertThatThrownBy(() -> c.acquire(rwKey, Duration.ZERO)).isInstanceOf(TypeMismatchException.class);
                assertThatThrownBy(() -> c.readAcquire(lockKey, Duration.ZERO)).isInstanceOf(TypeMismatchException.class);
                c.ping(); // the connection stays usable
            }
            assertThat(held.writer().isHeld()).isTrue();
        }
    }

    @Test
    void lowLevelCalls() {
        String k = key("rw-low");
        try (DflockdConnection a = DflockdConnection.open(shared.config());
                DflockdConnection b = DflockdConnection.open(shared.config())) {
            Grant r1 = a.readAcquire(k, Duration.ZERO, Duration.ofSeconds(20));
            assertThat(r1.leaseSeconds()).isEqualTo(20);
            Grant r2 = b.readAcquire(k, Duration.ZERO);
            assertThat(a.readRenew(k, r1.token(), Duration.ofSeconds(25))).isEqualTo(25);
            assertThat(b.readRenew(k, r2.token())).isPositive();
            assertThatThrownBy(() -> a.writeAcquire(k, Duration.ZERO)).isInstanceOf(AcquireTimeoutException.class);
            assertThat(a.writeEnqueue(k, Duration.ofSeconds(20)).status()).isEqualTo(EnqueueResult.QUEUED);
            assertThatThrownBy(() -> a.readEnqueue(k)).isInstanceOf(AlreadyEnqueuedException.class);
            b.readRelease(k, r2.token());
            b.writeRelease(k, r1.token()); // tokens decide, not the side (PROTOCOL.md §6.14)
            Grant w = a.writeWaitFor(k, Duration.ofSeconds(10));
            assertThat(a.writeRenew(k, w.token(), Duration.ofSeconds(20))).isEqualTo(20);
            a.writeRelease(k, w.token());
            assertThatThrownBy(() -> a.writeRelease(k, w.token())).isInstanceOf(ServerErrorException.class);
            assertThatThrownBy(() -> a.readWaitFor(k, Duration.ZERO)).isInstanceOf(NotEnqueuedException.class);
        }
    }

    @Test
    void readLockIsAReentrantJucLockOwnedByOneThread() throws Exception {
        String k = key("rw-juc");
        DistributedReadWriteLock rw = rw(k);
        DistributedReadWriteLock other = rw(k);
        Lock read = rw.readLock();
        assertThatThrownBy(read::unlock).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(read.tryLock(5, TimeUnit.SECONDS)).isTrue();
        assertThat(read.tryLock()).as("reentrant: no round trip").isTrue();
        assertThat(rw.readLock().getHoldCount()).isEqualTo(2);
        assertThat(other.readLock().tryLock(5, TimeUnit.SECONDS)).as("another reader shares it").isTrue();
        assertThat(other.writeLock().tryLock(1, TimeUnit.SECONDS)).as("no writer while readers hold").isFalse();

        ExecutorService stranger = Executors.newSingleThreadExecutor();
        try {
            assertThat(stranger.submit(() -> read.tryLock()).get(10, TimeUnit.SECONDS))
                    .as("one owner thread per view").isFalse();
            assertThat(stranger.submit(() -> {
                try {
                    read.unlock();
                    return null;
                } catch (IllegalMonitorStateException e) {
                    return e;
                }
            }).get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalMonitorStateException.class);
        } finally {
            stranger.shutdownNow();
        }
        read.unlock();
        assertThat(rw.reader().isHeld()).as("still held after the inner unlock").isTrue();
        read.unlock();
        assertThat(rw.reader().isHeld()).as("the outermost unlock releases").isFalse();
        other.readLock().unlock();
        assertThat(other.writeLock().tryLock(5, TimeUnit.SECONDS)).isTrue();
        other.writeLock().unlock();
    }

    @Test
    void holdingTheReadSideTheWriteSideWaitsUntilTheTimeout() {
        String k = key("rw-upgrade");
        try (DistributedReadWriteLock rw = DistributedReadWriteLock.builder(k).config(shared.config())
                .acquireTimeout(Duration.ofSeconds(1)).build()) {
            assertThat(rw.reader().acquire()).isTrue();
            long start = System.nanoTime();
            assertThat(rw.writer().acquire()).as("no upgrade").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(rw.reader().isHeld()).isTrue();
            rw.reader().release();
            assertThat(rw.writer().acquire()).isTrue();
            assertThat(rw.reader().acquire()).as("no downgrade either").isFalse();
        }
    }

    @Test
    void theWriteSideIsHandedOverToTimeWithK() {
        String k = key("rw-keep");
        DistributedReadWriteLock rw = rw(k);
        DistributedReadWriteLock rival = rw(k);
        assertThat(rw.writer().acquire()).isTrue();
        rw.writer().releaseAfter(Duration.ofSeconds(2));
        assertThat(rw.writer().isHeld()).isFalse();
        assertThat(rival.reader().acquire(Duration.ZERO)).as("kept after its holder let go").isFalse();
        await().atMost(WAIT).until(() -> rival.reader().acquire(Duration.ZERO));
    }

    @Test
    void aReleaseBehindTheSidesBackIsReportedAsALostLease() throws Exception {
        String k = key("rw-lost");
        CompletableFuture<String> lostToken = new CompletableFuture<>();
        try (DistributedReadWriteLock rw = DistributedReadWriteLock.builder(k).config(shared.config())
                .leaseTtl(Duration.ofSeconds(2)).onLeaseLost((key, token, cause) -> lostToken.complete(token)).build()) {
            assertThat(rw.writer().acquire()).isTrue();
            String token = rw.writer().token();
            CompletableFuture<Throwable> lost = rw.writer().leaseLost();
            try (DflockdConnection c = DflockdConnection.open(shared.config())) {
                c.readRelease(k, token); // rr releases a write grant too: the token decides
            }
            assertThat(lostToken.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(token);
            assertThat(lost.get(1, TimeUnit.SECONDS)).isInstanceOf(ServerErrorException.class);
            assertThat(rw.writer().isHeld()).isFalse();
        }
    }

    @Test
    void asyncReadersShareAndAnAsyncWriterWaits() throws Exception {
        String k = key("rw-async");
        try (AsyncDistributedReadWriteLock a = DistributedReadWriteLock.builder(k).config(shared.config()).buildAsync();
                AsyncDistributedReadWriteLock b = DistributedReadWriteLock.builder(k).config(shared.config()).buildAsync();
                AsyncDistributedReadWriteLock w = DistributedReadWriteLock.builder(k).config(shared.config())
                        .acquireTimeout(WAIT).buildAsync()) {
            assertThat(a.read().acquire(Duration.ZERO).get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.read().acquireOrThrow().get(10, TimeUnit.SECONDS)).isSameAs(b.read());
            long readFence = a.read().fence().getAsLong();
            assertThat(w.write().enqueue().get(10, TimeUnit.SECONDS)).isEqualTo(EnqueueResult.QUEUED);
            CompletableFuture<Boolean> writer = w.write().await();
            a.read().release().get(10, TimeUnit.SECONDS);
            Thread.sleep(300);
            assertThat(writer).as("one reader still holds").isNotDone();
            b.read().release().get(10, TimeUnit.SECONDS);
            assertThat(writer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(Fencing.supersedes(w.write().fence().getAsLong(), readFence)).isTrue();
            assertThat(a.read().acquire(Duration.ZERO).get(10, TimeUnit.SECONDS)).isFalse();

            // a cancelled queued read leaves the queue: once the writer is gone a try-lock writer gets in
            assertThat(b.read().enqueue().get(10, TimeUnit.SECONDS)).isEqualTo(EnqueueResult.QUEUED);
            CompletableFuture<Boolean> queued = b.read().await(WAIT);
            queued.cancel(true);
            w.write().release().get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> a.write().acquire(Duration.ZERO).get(10, TimeUnit.SECONDS));
            assertThat(b.read().isHeld()).isFalse();
        }
    }
}
