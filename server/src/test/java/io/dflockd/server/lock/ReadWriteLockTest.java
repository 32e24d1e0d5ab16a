package io.dflockd.server.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.FenceToken;
import io.dflockd.server.lock.Outcome.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Read-write locks in the lock manager (PROTOCOL.md §6.14, §7.11), on a manual clock. */
class ReadWriteLockTest extends LockManagerFixture {

    private Outcome read(LockOwner o, long timeout, Inbox inbox) {
        return mgr.acquireReadWrite(o, "rw", false, timeout, 0, inbox);
    }

    private Outcome write(LockOwner o, long timeout, Inbox inbox) {
        return mgr.acquireReadWrite(o, "rw", true, timeout, 0, inbox);
    }

    private static long fence(Outcome o) {
        assertThat(o.kind()).isIn(Kind.GRANTED, Kind.ACQUIRED);
        return FenceToken.fence(o.token());
    }

    private ResourceSnapshot state() {
        return mgr.snapshot().stream().filter(s -> s.key().equals("rw")).findFirst().orElseThrow();
    }

    @Test
    void readersShareTheKey() {
        Outcome a = read(conn(), 0, new Inbox());
        Outcome b = read(conn(), 0, new Inbox());
        assertThat(fence(a)).isEqualTo(101);
        assertThat(fence(b)).isEqualTo(102);
        assertThat(state()).satisfies(s -> {
            assertThat(s.readWrite()).isTrue();
            assertThat(s.readers()).isEqualTo(2);
            assertThat(s.writer()).isFalse();
            assertThat(s.limit()).isZero();
        });
    }

    @Test
    void aWriterExcludesReadersAndWriters() {
        Outcome w = write(conn(), 0, new Inbox());
        assertThat(w.kind()).isEqualTo(Kind.GRANTED);
        assertThat(read(conn(), 0, new Inbox()).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(write(conn(), 0, new Inbox()).kind()).isEqualTo(Kind.TIMEOUT);
        read(conn(), 0, new Inbox());
        assertThat(state().writer()).isTrue();
        assertThat(state().holders()).isEqualTo(1);
        assertThat(state().waiters()).isZero(); // try-locks never queue

        Inbox writer2 = new Inbox();
        assertThat(write(conn(), 5, writer2).kind()).isEqualTo(Kind.PENDING);
        assertThat(mgr.release("rw", w.token()).kind()).isEqualTo(Kind.RELEASED);
        assertThat(fence(writer2.only())).isGreaterThan(fence(w));
    }

    @Test
    void aWriterWaitsForEveryReader() {
        Outcome r1 = read(conn(), 0, new Inbox());
        Outcome r2 = read(conn(), 0, new Inbox());
        Inbox writer = new Inbox();
        assertThat(write(conn(), 5, writer).kind()).isEqualTo(Kind.PENDING);
        mgr.release("rw", r1.token());
        assertThat(writer.got).isEmpty();
        mgr.release("rw", r2.token());
        assertThat(fence(writer.only())).isGreaterThan(fence(r2));
    }

    @Test
    void aQueuedWriterBlocksLaterReaders() {
        Outcome r1 = read(conn(), 0, new Inbox());
        Inbox writer = new Inbox();
        write(conn(), 5, writer);
        Inbox lateReader = new Inbox();
        assertThat(read(conn(), 5, lateReader).kind()).isEqualTo(Kind.PENDING); // though only readers hold
        assertThat(read(conn(), 0, new Inbox()).kind()).isEqualTo(Kind.TIMEOUT);

        mgr.release("rw", r1.token());
        Outcome w = writer.only();
        assertThat(lateReader.got).isEmpty();
        mgr.release("rw", w.token());
        assertThat(fence(lateReader.only())).isGreaterThan(fence(w));
    }

    @Test
    void theReadersAfterAReleasedWriterAreGrantedTogetherUpToTheNextWriter() {
        Outcome w1 = write(conn(), 0, new Inbox());
        Inbox r1 = new Inbox();
        Inbox r2 = new Inbox();
        Inbox r3 = new Inbox();
        Inbox w2 = new Inbox();
        Inbox r4 = new Inbox();
        read(conn(), 5, r1);
        read(conn(), 5, r2);
        read(conn(), 5, r3);
        write(conn(), 5, w2);
        read(conn(), 5, r4);

        mgr.release("rw", w1.token());
        assertThat(fence(r1.only())).isEqualTo(102);
        assertThat(fence(r2.only())).isEqualTo(103);
        assertThat(fence(r3.only())).isEqualTo(104);
        assertThat(w2.got).isEmpty();
        assertThat(r4.got).isEmpty();
        assertThat(state().readers()).isEqualTo(3);
        assertThat(state().waiters()).isEqualTo(2);

        mgr.release("rw", r1.only().token());
        mgr.release("rw", r3.only().token());
        assertThat(w2.got).isEmpty();
        mgr.release("rw", r2.only().token());
        assertThat(fence(w2.only())).isEqualTo(105);
        assertThat(r4.got).isEmpty();
    }

    @Test
    void theExpiryOfAWritersLeaseGrantsTheQueuedReaders() {
        Outcome w = mgr.acquireReadWrite(conn(), "rw", true, 0, 10, new Inbox());
        assertThat(w.seconds()).isEqualTo(10);
        Inbox r1 = new Inbox();
        Inbox r2 = new Inbox();
        read(conn(), 60, r1);
        read(conn(), 60, r2);
        time.advance(Duration.ofMillis(9_999));
        assertThat(r1.got).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(r1.only().kind()).isEqualTo(Kind.GRANTED);
        assertThat(r2.only().kind()).isEqualTo(Kind.GRANTED);
        assertThat(mgr.release("rw", w.token()).kind()).isEqualTo(Kind.ERROR);
    }

    @Test
    void aQueuedWriterThatTimesOutLetsTheReadersBehindItIn() {
        Outcome r1 = read(conn(), 0, new Inbox());
        Inbox writer = new Inbox();
        write(conn(), 2, writer);
        Inbox r2 = new Inbox();
        read(conn(), 60, r2);
        time.advance(Duration.ofSeconds(2));
        assertThat(writer.only().kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(fence(r2.only())).isGreaterThan(fence(r1));
    }

    @Test
    void twoPhaseReadAndWrite() {
        LockOwner reader = conn();
        LockOwner writer = conn();
        LockOwner reader2 = conn();
        Outcome acquired = mgr.enqueueReadWrite(reader, "rw", false, 0);
        assertThat(acquired.kind()).isEqualTo(Kind.ACQUIRED);
        assertThat(mgr.enqueueReadWrite(reader, "rw", true, 0).kind()).isEqualTo(Kind.ALREADY_ENQUEUED);
        assertThat(mgr.enqueueReadWrite(writer, "rw", true, 0).kind()).isEqualTo(Kind.QUEUED);
        assertThat(mgr.enqueueReadWrite(reader2, "rw", false, 0).kind()).isEqualTo(Kind.QUEUED); // behind the writer
        assertThat(mgr.await(reader, "rw", 0, new Inbox()).kind()).isEqualTo(Kind.GRANTED);
        assertThat(mgr.await(reader2, "rw", 0, new Inbox()).kind()).isEqualTo(Kind.TIMEOUT); // leaves the queue

        Inbox writerWait = new Inbox();
        assertThat(mgr.await(writer, "rw", 10, writerWait).kind()).isEqualTo(Kind.PENDING);
        mgr.release("rw", acquired.token());
        Outcome w = writerWait.only();
        assertThat(fence(w)).isGreaterThan(fence(acquired));

        assertThat(mgr.enqueueReadWrite(reader2, "rw", false, 0).kind()).isEqualTo(Kind.QUEUED);
        mgr.release("rw", w.token());
        // Granted while nobody waited on the record: the next wait collects it at once.
        Outcome collected = mgr.await(reader2, "rw", 5, new Inbox());
        assertThat(fence(collected)).isGreaterThan(fence(w));
        assertThat(mgr.await(reader2, "rw", 5, new Inbox()).kind()).isEqualTo(Kind.NOT_ENQUEUED);
    }

    @Test
    void disconnectWithdrawsAQueuedWriterAndReleasesHeldGrants() {
        LockOwner holder = conn();
        Outcome r1 = read(holder, 0, new Inbox());
        LockOwner queuedWriter = conn();
        write(queuedWriter, 60, new Inbox());
        LockOwner twoPhaseWriter = conn();
        assertThat(mgr.enqueueReadWrite(twoPhaseWriter, "rw", true, 0).kind()).isEqualTo(Kind.QUEUED);
        Inbox r2 = new Inbox();
        read(conn(), 60, r2);

        mgr.disconnect(queuedWriter);
        assertThat(r2.got).isEmpty(); // the two-phase writer is still ahead
        mgr.disconnect(twoPhaseWriter);
        assertThat(fence(r2.only())).isGreaterThan(fence(r1));

        Inbox w = new Inbox();
        write(conn(), 60, w);
        mgr.disconnect(holder); // auto-release of r1; r2 still holds
        assertThat(w.got).isEmpty();
        mgr.release("rw", r2.only().token());
        assertThat(w.only().kind()).isEqualTo(Kind.GRANTED);
    }

    @Test
    void aKeyIsOfOneTypeBothWays() {
        Outcome w = write(conn(), 0, new Inbox());
        LockOwner other = conn();
        assertThat(mgr.acquire(other, "rw", 1, 5, 0, new Inbox()).kind()).isEqualTo(Kind.TYPE_MISMATCH);
        assertThat(mgr.acquire(other, "rw", 3, 5, 0, new Inbox()).kind()).isEqualTo(Kind.TYPE_MISMATCH);
        assertThat(mgr.enqueue(other, "rw", 1, 0).kind()).isEqualTo(Kind.TYPE_MISMATCH);
        assertThat(state().waiters()).isZero();
        assertThat(other.recordCount()).isZero();

        mgr.acquire(conn(), "lock", 1, 0, 0, new Inbox());
        mgr.acquire(conn(), "sem", 3, 0, 0, new Inbox());
        for (String key : new String[] {"lock", "sem"}) {
            assertThat(mgr.acquireReadWrite(other, key, false, 5, 0, new Inbox()).kind()).isEqualTo(Kind.TYPE_MISMATCH);
            assertThat(mgr.acquireReadWrite(other, key, true, 5, 0, new Inbox()).kind()).isEqualTo(Kind.TYPE_MISMATCH);
            assertThat(mgr.enqueueReadWrite(other, key, true, 0).kind()).isEqualTo(Kind.TYPE_MISMATCH);
        }
        assertThat(other.recordCount()).isZero();
        // Release and renew go by token, as upstream: the write token frees its key whatever command sends it.
        assertThat(mgr.renew("rw", w.token(), 5).seconds()).isEqualTo(5);
        assertThat(mgr.release("rw", w.token()).kind()).isEqualTo(Kind.RELEASED);
    }

    @Test
    void maxWaitersAndMaxLocksCountAReadWriteKeyAsOneResource() {
        mgr = manager(new LockSettings(2, 2, 33, 60, true));
        write(conn(), 0, new Inbox());
        assertThat(read(conn(), 5, new Inbox()).kind()).isEqualTo(Kind.PENDING);
        assertThat(mgr.enqueueReadWrite(conn(), "rw", true, 0).kind()).isEqualTo(Kind.QUEUED);
        assertThat(read(conn(), 5, new Inbox()).kind()).isEqualTo(Kind.MAX_WAITERS);
        assertThat(mgr.enqueueReadWrite(conn(), "rw", false, 0).kind()).isEqualTo(Kind.MAX_WAITERS);
        assertThat(mgr.resourceCount()).isEqualTo(1);
        assertThat(mgr.acquireReadWrite(conn(), "rw2", false, 0, 0, new Inbox()).kind()).isEqualTo(Kind.GRANTED);
        assertThat(mgr.acquireReadWrite(conn(), "rw3", true, 0, 0, new Inbox()).kind()).isEqualTo(Kind.MAX_LOCKS);
    }

    @Test
    void anIdleReadWriteKeyIsCollectedAndMayComeBackAsALock() {
        mgr = manager(new LockSettings(1024, 0, 33, 0, true));
        mgr.release("rw", read(conn(), 0, new Inbox()).token());
        assertThat(mgr.collectIdle()).isEqualTo(1);
        assertThat(mgr.acquire(conn(), "rw", 1, 0, 0, new Inbox()).kind()).isEqualTo(Kind.GRANTED);
    }

    @Test
    void theStateCodecKeepsTypesAndSides() throws IOException {
        LockOwner reader = conn();
        LockOwner writer = conn();
        LockOwner lateReader = conn();
        Outcome r = read(reader, 0, new Inbox());
        write(writer, 60, new Inbox());
        mgr.enqueueReadWrite(lateReader, "rw", false, 0);
        mgr.acquire(conn(), "lock", 1, 0, 0, new Inbox());
        byte[] bytes = encode(mgr);

        LockManager copy = manager(LockSettings.defaults());
        Map<Long, LockOwner> owners = new HashMap<>();
        Map<Long, Inbox> inboxes = new HashMap<>();
        LockStateCodec.read(copy, new DataInputStream(new ByteArrayInputStream(bytes)),
                id -> owners.computeIfAbsent(id, LockOwner::new), o -> inboxes.computeIfAbsent(o.id(), id -> new Inbox()));
        assertThat(encode(copy)).isEqualTo(bytes);

        mgr = copy;
        assertThat(read(conn(), 0, new Inbox()).kind()).isEqualTo(Kind.TIMEOUT); // the queued writer still blocks readers
        assertThat(mgr.acquire(conn(), "rw", 1, 0, 0, new Inbox()).kind()).isEqualTo(Kind.TYPE_MISMATCH);
        mgr.release("rw", r.token());
        Outcome w = inboxes.get(writer.id()).only();
        assertThat(fence(w)).isGreaterThan(fence(r));
        mgr.release("rw", w.token());
        assertThat(mgr.await(owners.get(lateReader.id()), "rw", 0, new Inbox()).kind()).isEqualTo(Kind.GRANTED);
    }

    private static byte[] encode(LockManager m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            LockStateCodec.write(m, out);
        }
        return bytes.toByteArray();
    }
}
