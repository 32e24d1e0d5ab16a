package io.dflockd.server.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.lock.CountingFences;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import io.dflockd.server.time.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data store on a manual clock, through its lock manager as connections use it (PROTOCOL.md §6.16-6.18). */
class DataStoreTest {
    private final ManualTime time = new ManualTime();
    /** Every watch push, as "event key", in the order made. */
    private final List<String> pushes = new ArrayList<>();
    private final LockEvents events = new LockEvents() {
        @Override
        public boolean watchesKey(String key) {
            return true;
        }

        @Override
        public Runnable keyChanged(String key, WatchFrame.Event event) {
            pushes.add(event.wire() + " " + key);
            return null;
        }
    };
    private LockManager locks = manager(0, 0);
    private long nextConn = 1;

    private LockManager manager(int maxKeys, int maxListLength) {
        return new LockManager(new LockSettings(1024, 0, 33, 60, true, maxKeys, maxListLength), time, time,
                new CountingFences(), events);
    }

    private final LockOwner a = conn();

    private LockOwner conn() {
        return new LockOwner(nextConn++);
    }

    /** Records what a blocking pop eventually receives. */
    private static final class Inbox implements WaitListener {
        final List<Outcome> got = new ArrayList<>();

        @Override
        public void onOutcome(Outcome o) {
            got.add(o);
        }
    }

    private Outcome run(LockOwner owner, Request r) {
        return locks.data().execute(owner, r, o -> {
            throw new AssertionError("not a blocking call: " + r);
        });
    }

    private Outcome run(Request r) {
        return run(a, r);
    }

    private static String show(Outcome o) {
        return switch (o.kind()) {
            case NUMBER -> "ok " + o.number();
            case VALUE -> "ok " + o.text();
            default -> o.kind().name();
        };
    }

    private String call(Request r) {
        return show(run(r));
    }

    private static Request.CounterOp counter(Command c, String key, long v) {
        return new Request.CounterOp(c, key, v);
    }

    private static Request.ListPop blpop(String key, long timeout) {
        return new Request.ListPop(key, true, true, timeout);
    }

    // ---- counters ----

    @Test
    void countersStartAtZeroAndRefuseOverflowWithoutChange() {
        assertThat(call(counter(Command.GET, "c", 0))).isEqualTo("ok 0");
        assertThat(locks.data().keyCount()).isZero(); // get does not create
        assertThat(call(counter(Command.INCR, "c", 5))).isEqualTo("ok 5");
        assertThat(call(counter(Command.DECR, "c", 7))).isEqualTo("ok -2");
        assertThat(call(counter(Command.CSET, "c", Long.MAX_VALUE - 1))).isEqualTo("DONE");
        assertThat(call(counter(Command.INCR, "c", 2))).isEqualTo("ERROR");
        assertThat(call(counter(Command.GET, "c", 0))).isEqualTo("ok " + (Long.MAX_VALUE - 1));
        assertThat(call(counter(Command.INCR, "c", 1))).isEqualTo("ok " + Long.MAX_VALUE);
        assertThat(call(counter(Command.CSET, "c", Long.MIN_VALUE))).isEqualTo("DONE");
        assertThat(call(counter(Command.DECR, "c", 1))).isEqualTo("ERROR");
        assertThat(call(counter(Command.INCR, "c", -1))).isEqualTo("ERROR");
        assertThat(call(counter(Command.DECR, "d", Long.MIN_VALUE))).isEqualTo("ERROR");
        assertThat(call(counter(Command.GET, "d", 0))).isEqualTo("ok 0");
        assertThat(pushes).containsExactly("incr c", "decr c", "cset c", "incr c", "cset c");
    }

    @Test
    void anIdleCounterAtZeroIsCollectedAfterTheIdleTimeOnly() {
        run(counter(Command.INCR, "zero", 0));
        run(counter(Command.INCR, "five", 5));
        time.advance(Duration.ofSeconds(59));
        assertThat(locks.collectIdle()).isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(locks.collectIdle()).isEqualTo(1);
        assertThat(locks.data().counterStats()).extracting(DataStats.CounterStat::key).containsExactly("five");
        assertThat(locks.data().keyCount()).isEqualTo(1);
    }

    // ---- max keys ----

    @Test
    void maxKeysCountsCountersEntriesAndListsTogetherAndRefusesWithoutChange() {
        locks = manager(3, 0);
        assertThat(call(counter(Command.INCR, "k", 1))).isEqualTo("ok 1");
        assertThat(call(new Request.KvSet("k", "v", 0))).isEqualTo("DONE");
        assertThat(call(new Request.ListPush("k", "i", true))).isEqualTo("ok 1");
        assertThat(call(counter(Command.CSET, "k2", 1))).isEqualTo("MAX_KEYS");
        assertThat(call(new Request.KvSet("k2", "v", 0))).isEqualTo("MAX_KEYS");
        assertThat(call(new Request.KvCas("k2", "", "v", 0))).isEqualTo("MAX_KEYS");
        assertThat(call(new Request.ListPush("k2", "i", false))).isEqualTo("MAX_KEYS");
        assertThat(run(a, blpop("k2", 5)).kind()).isEqualTo(Outcome.Kind.MAX_KEYS);
        // existing keys still change
        assertThat(call(counter(Command.INCR, "k", 1))).isEqualTo("ok 2");
        assertThat(call(new Request.KvSet("k", "w", 0))).isEqualTo("DONE");
        assertThat(call(new Request.ListPush("k", "j", false))).isEqualTo("ok 2");
        // an emptied list gives its slot back at once
        run(Request.ListPop.now("k", true));
        run(Request.ListPop.now("k", true));
        assertThat(call(new Request.KvSet("k2", "v", 0))).isEqualTo("DONE");
        assertThat(pushes).doesNotContain("cset k2", "kset k2 ", "rpush k2");
    }

    // ---- KV ----

    @Test
    void entriesExpireExactlyOnTheClockAndFreeTheirSlot() {
        locks = manager(1, 0);
        assertThat(call(new Request.KvSet("e", "v1", 10))).isEqualTo("DONE");
        time.jump(Duration.ofSeconds(10).minusNanos(1));
        assertThat(call(new Request.KvGet("e"))).isEqualTo("ok v1");
        assertThat(locks.data().entryStats()).singleElement()
                .satisfies(s -> assertThat(s.ttlLeftNanos()).isEqualTo(1));
        time.jump(Duration.ofNanos(1));
        assertThat(call(new Request.KvGet("e"))).isEqualTo("NIL");
        assertThat(call(new Request.KvSet("other", "v", 0))).isEqualTo("DONE"); // its slot is free
        assertThat(call(new Request.KvDelete("other"))).isEqualTo("DONE");
        assertThat(pushes).containsExactly("kset e", "kset other", "kdel other"); // no event for the expiry
    }

    @Test
    void anExpiredEntryGoesAtTheNextCollectionAndEntriesWithoutTtlStay() {
        run(new Request.KvSet("short", "v", 1));
        run(new Request.KvSet("forever", "v", 0));
        time.jump(Duration.ofDays(30));
        assertThat(locks.collectIdle()).isEqualTo(1);
        assertThat(locks.data().entryStats()).extracting(DataStats.EntryStat::key).containsExactly("forever");
        assertThat(locks.data().keyCount()).isEqualTo(1);
    }

    @Test
    void ksetReplacesValueAndTtl() {
        run(new Request.KvSet("e", "v1", 5));
        run(new Request.KvSet("e", "v2", 0));
        time.jump(Duration.ofSeconds(6));
        assertThat(call(new Request.KvGet("e"))).isEqualTo("ok v2");
        run(new Request.KvSet("e", "v3", 2));
        time.jump(Duration.ofSeconds(2));
        assertThat(call(new Request.KvGet("e"))).isEqualTo("NIL");
    }

    @Test
    void kcasSetsOnlyOnTheExpectedValueOrOnAbsenceWithAnEmptyExpectation() {
        assertThat(call(new Request.KvCas("e", "x", "v1", 0))).isEqualTo("CAS_CONFLICT");
        assertThat(call(new Request.KvCas("e", "", "v1", 0))).isEqualTo("DONE");
        assertThat(call(new Request.KvCas("e", "", "v2", 0))).isEqualTo("CAS_CONFLICT");
        assertThat(call(new Request.KvCas("e", "v2", "v3", 0))).isEqualTo("CAS_CONFLICT");
        assertThat(call(new Request.KvCas("e", "v1", "v2", 3))).isEqualTo("DONE");
        assertThat(call(new Request.KvGet("e"))).isEqualTo("ok v2");
        time.jump(Duration.ofSeconds(3));
        assertThat(call(new Request.KvCas("e", "v2", "v4", 0))).isEqualTo("CAS_CONFLICT"); // expired: absent
        assertThat(call(new Request.KvCas("e", "", "v4", 0))).isEqualTo("DONE");
        assertThat(call(new Request.KvDelete("nothing"))).isEqualTo("DONE");
        assertThat(pushes).containsExactly("kcas e", "kcas e", "kcas e");
    }

    // ---- lists ----

    @Test
    void pushesAndPopsAtBothEnds() {
        assertThat(call(new Request.ListPush("l", "b", true))).isEqualTo("ok 1");
        assertThat(call(new Request.ListPush("l", "a", true))).isEqualTo("ok 2");
        assertThat(call(new Request.ListPush("l", "c", false))).isEqualTo("ok 3");
        assertThat(call(new Request.ListLength("l"))).isEqualTo("ok 3");
        assertThat(call(new Request.ListRange("l", 0, -1))).isEqualTo("ok [\"a\",\"b\",\"c\"]");
        assertThat(call(Request.ListPop.now("l", false))).isEqualTo("ok c");
        assertThat(call(Request.ListPop.now("l", true))).isEqualTo("ok a");
        assertThat(call(blpop("l", 0))).isEqualTo("ok b");
        assertThat(call(Request.ListPop.now("l", true))).isEqualTo("NIL");
        assertThat(call(blpop("l", 0))).isEqualTo("NIL");
        assertThat(call(new Request.ListLength("l"))).isEqualTo("ok 0");
        assertThat(locks.data().keyCount()).isZero();
        assertThat(pushes).containsExactly("lpush l", "lpush l", "rpush l", "rpop l", "lpop l", "blpop l");
    }

    @Test
    void aFullListRefusesPushesUnlessAPopWaits() {
        locks = manager(0, 2);
        run(new Request.ListPush("l", "1", false));
        run(new Request.ListPush("l", "2", false));
        assertThat(call(new Request.ListPush("l", "3", false))).isEqualTo("LIST_FULL");
        assertThat(call(new Request.ListPush("l", "3", true))).isEqualTo("LIST_FULL");
        assertThat(call(new Request.ListRange("l", 0, -1))).isEqualTo("ok [\"1\",\"2\"]");
        Inbox in = new Inbox(); // a push onto a waited-on list is never refused
        assertThat(locks.data().execute(conn(), blpop("empty", 5), in).kind()).isEqualTo(Outcome.Kind.PENDING);
        assertThat(call(new Request.ListPush("empty", "x", false))).isEqualTo("ok 0");
        assertThat(in.got).extracting(DataStoreTest::show).containsExactly("ok x");
    }

    @Test
    void lrangeIndexesClampAndCountFromTheEnd() {
        for (String s : new String[] {"a", "b", "c", "d"}) {
            run(new Request.ListPush("l", s, false));
        }
        assertThat(call(new Request.ListRange("l", 1, 2))).isEqualTo("ok [\"b\",\"c\"]");
        assertThat(call(new Request.ListRange("l", -2, -1))).isEqualTo("ok [\"c\",\"d\"]");
        assertThat(call(new Request.ListRange("l", -100, 100))).isEqualTo("ok [\"a\",\"b\",\"c\",\"d\"]");
        assertThat(call(new Request.ListRange("l", 3, 3))).isEqualTo("ok [\"d\"]");
        assertThat(call(new Request.ListRange("l", 4, 10))).isEqualTo("ok []");
        assertThat(call(new Request.ListRange("l", 2, 1))).isEqualTo("ok []");
        assertThat(call(new Request.ListRange("l", -1, -2))).isEqualTo("ok []");
        assertThat(call(new Request.ListRange("l", Integer.MIN_VALUE, Integer.MAX_VALUE)))
                .isEqualTo("ok [\"a\",\"b\",\"c\",\"d\"]");
        assertThat(call(new Request.ListRange("absent", 0, -1))).isEqualTo("ok []");
    }

    @Test
    void lrangeEscapesQuotesBackslashesAndControlCharsOnly() {
        String utf8 = new String("é€".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        run(new Request.ListPush("l", "q\"b\\s/", false));
        run(new Request.ListPush("l", "\u0001\u001f\u007f<>&" + utf8, false));
        assertThat(call(new Request.ListRange("l", 0, -1)))
                .isEqualTo("ok [\"q\\\"b\\\\s/\",\"\\u0001\\u001f\u007f<>&" + utf8 + "\"]");
    }

    @Test
    void blockedPopsAreServedFifoByPushesOfEitherEnd() {
        LockOwner b = conn();
        LockOwner c = conn();
        Inbox first = new Inbox();
        Inbox second = new Inbox();
        assertThat(locks.data().execute(b, blpop("q", 10), first).kind()).isEqualTo(Outcome.Kind.PENDING);
        assertThat(locks.data().execute(c, new Request.ListPop("q", false, true, 10), second).kind())
                .isEqualTo(Outcome.Kind.PENDING);
        assertThat(b.isBlocked()).isTrue();
        assertThat(locks.data().listStats()).singleElement()
                .satisfies(s -> assertThat(s.popWaiters()).isEqualTo(2));
        assertThat(call(new Request.ListPush("q", "one", false))).isEqualTo("ok 0");
        assertThat(first.got).extracting(DataStoreTest::show).containsExactly("ok one");
        assertThat(b.isBlocked()).isFalse();
        assertThat(second.got).isEmpty();
        assertThat(call(new Request.ListPush("q", "two", true))).isEqualTo("ok 0");
        assertThat(second.got).extracting(DataStoreTest::show).containsExactly("ok two");
        assertThat(call(new Request.ListPush("q", "three", true))).isEqualTo("ok 1"); // nobody waits now
        time.advance(Duration.ofSeconds(20));
        assertThat(first.got).hasSize(1);
        assertThat(second.got).hasSize(1);
        assertThat(pushes).containsExactly("rpush q", "blpop q", "lpush q", "brpop q", "lpush q");
    }

    @Test
    void aBlockedPopTimesOutWithNilExactlyAtItsTimeout() {
        Inbox in = new Inbox();
        LockOwner b = conn();
        locks.data().execute(b, blpop("q", 3), in);
        time.advance(Duration.ofSeconds(3).minusNanos(1));
        assertThat(in.got).isEmpty();
        time.advance(Duration.ofNanos(1));
        assertThat(in.got).extracting(DataStoreTest::show).containsExactly("NIL");
        assertThat(b.isBlocked()).isFalse();
        assertThat(locks.data().keyCount()).isZero(); // the list existed for its waiter only
        assertThat(call(new Request.ListPush("q", "x", false))).isEqualTo("ok 1");
    }

    @Test
    void aDisconnectOrAShutdownWithdrawsTheWaitUnanswered() {
        Inbox gone = new Inbox();
        Inbox drained = new Inbox();
        LockOwner b = conn();
        LockOwner c = conn();
        locks.data().execute(b, blpop("q", 10), gone);
        locks.data().execute(c, blpop("q", 10), drained);
        locks.disconnect(b);
        assertThat(locks.cancelWait(c)).isTrue();
        assertThat(locks.cancelWait(c)).isFalse();
        assertThat(c.isBlocked()).isFalse();
        assertThat(locks.data().keyCount()).isZero();
        assertThat(call(new Request.ListPush("q", "kept", false))).isEqualTo("ok 1");
        time.advance(Duration.ofSeconds(20));
        assertThat(gone.got).isEmpty();
        assertThat(drained.got).isEmpty();
        assertThat(call(Request.ListPop.now("q", true))).isEqualTo("ok kept");
    }

    @Test
    void aBlockingPopAnswersAtOnceWhenTheListHasAnItem() {
        run(new Request.ListPush("q", "x", false));
        run(new Request.ListPush("q", "y", false));
        assertThat(call(new Request.ListPop("q", false, true, 5))).isEqualTo("ok y");
        assertThat(a.isBlocked()).isFalse();
    }
}
