package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.protocol.LockKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which commands each side of a read-write lock sends through the lease machinery, against a
 * scripted peer over real TCP; and the {@link LockKind} checks of {@link LeaseCore}.
 */
class ReadWriteLockPlumbingTest {
    private static final String TOKEN = "00000000000000077f3c1f2b3e9a8d6e";

    /** Grants everything; queues the two-phase enqueues. */
    private static String reply(String[] r) {
        return switch (r[0]) {
            case "rn", "wn", "k" -> "ok 33\n";
            case "rr", "wr" -> "ok\n";
            case "re", "we" -> "queued\n";
            default -> "ok " + TOKEN + " 33\n";
        };
    }

    @Test
    @Tag("integration") // a scripted TCP peer
    void eachSideSendsItsOwnCommandsAndKeepIsK() throws Exception {
        try (ScriptedServer s = new ScriptedServer(ReadWriteLockPlumbingTest::reply);
                DistributedReadWriteLock rw = DistributedReadWriteLock.builder("doc").config(s.config())
                        .leaseTtl(Duration.ofSeconds(20)).build()) {
            assertThat(rw.reader().acquire(Duration.ofSeconds(2))).isTrue();
            assertThat(rw.reader().fence()).hasValue(7);
            rw.reader().renew();
            rw.reader().release();
            assertThat(rw.writer().enqueue()).isEqualTo(EnqueueResult.QUEUED);
            assertThat(rw.writer().await(Duration.ofSeconds(1))).isTrue();
            rw.writer().releaseAfter(Duration.ofSeconds(5));
            assertThat(rw.readLock().tryLock(1, TimeUnit.SECONDS)).isTrue();
            rw.readLock().unlock();
            assertThat(rw.writeLock().tryLock()).isTrue();
            rw.writeLock().unlock();
            rw.reader().enqueue();
            rw.reader().await(Duration.ZERO);
            rw.reader().release();
            List<String> got = new ArrayList<>();
            s.requests.drainTo(got);
            assertThat(got).containsExactly("rl|doc|2 20", "rn|doc|" + TOKEN + " 20", "rr|doc|" + TOKEN,
                    "we|doc|20", "ww|doc|1", "k|doc|" + TOKEN + " 5", "rl|doc|1 20", "rr|doc|" + TOKEN,
                    "wl|doc|0 20", "wr|doc|" + TOKEN, "re|doc|20", "rw|doc|0", "rr|doc|" + TOKEN);
        }
    }

    @Test
    @Tag("integration") // a scripted TCP peer
    void theAsyncSidesSendTheSameCommands() throws Exception {
        try (ScriptedServer s = new ScriptedServer(ReadWriteLockPlumbingTest::reply);
                AsyncDistributedReadWriteLock rw = DistributedReadWriteLock.builder("doc").config(s.config())
                        .buildAsync()) {
            assertThat(rw.read().acquireOrThrow().get(10, TimeUnit.SECONDS)).isSameAs(rw.read());
            rw.read().release().get(10, TimeUnit.SECONDS);
            assertThat(rw.write().acquire(Duration.ZERO).get(10, TimeUnit.SECONDS)).isTrue();
            rw.write().release().get(10, TimeUnit.SECONDS);
            List<String> got = new ArrayList<>();
            s.requests.drainTo(got);
            assertThat(got).containsExactly("rl|doc|10", "rr|doc|" + TOKEN, "wl|doc|0", "wr|doc|" + TOKEN);
        }
    }

    @Test
    void sidesKnowWhichTheyAreAndSayItInToString() {
        try (DistributedReadWriteLock rw = DistributedReadWriteLock.builder("doc").build();
                AsyncDistributedReadWriteLock async = DistributedReadWriteLock.builder("doc").buildAsync()) {
            assertThat(rw.reader().isWrite()).isFalse();
            assertThat(rw.writer().isWrite()).isTrue();
            assertThat(async.read().isWrite()).isFalse();
            assertThat(async.write().isWrite()).isTrue();
            assertThat(rw.reader()).isSameAs(rw.reader());
            assertThat(rw.readLock()).isSameAs(rw.reader().asLock()).isNotSameAs(rw.writeLock());
            assertThat(rw.key()).isEqualTo("doc");
            assertThat(rw.toString()).isEqualTo("DistributedReadWriteLock[DistributedReadWriteLock.Side[doc read @ "
                    + "127.0.0.1:6388], DistributedReadWriteLock.Side[doc write @ 127.0.0.1:6388]]");
            assertThat(async.write().toString()).isEqualTo("AsyncDistributedReadWriteLock.Side[doc write @ 127.0.0.1:6388]");
            assertThat(rw.writeLock().toString()).isEqualTo("Lock view of write lock 'doc'");
            assertThatThrownBy(() -> rw.writer().renew()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("write lock 'doc' is not held; nothing to renew");
        }
    }

    @Test
    void aClosedSideIsClosedButTheOtherIsNot() {
        DistributedReadWriteLock rw = DistributedReadWriteLock.builder("doc").build();
        rw.reader().close();
        assertThatThrownBy(() -> rw.reader().acquire()).isInstanceOf(IllegalStateException.class)
                .hasMessage("read lock 'doc' is closed");
        assertThat(rw.writer().toString()).doesNotContain("closed");
        rw.close();
        assertThat(rw.writer().toString()).endsWith(", closed]");
    }

    @Test
    void aLimitIsForSemaphoresOnly() {
        ClientConfig c = ClientConfig.defaults();
        for (LockKind kind : new LockKind[] {LockKind.LOCK, LockKind.READ, LockKind.WRITE}) {
            assertThatThrownBy(() -> new LeaseCore(kind, "k", 2, c, Duration.ZERO, null, null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(new LeaseCore(kind, "k", 0, c, Duration.ZERO, null, null).kind).isEqualTo(kind);
        }
        assertThatThrownBy(() -> new LeaseCore(LockKind.SEMAPHORE, "k", 0, c, Duration.ZERO, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
