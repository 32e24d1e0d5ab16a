package io.dflockd.server.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Request;
import io.dflockd.server.lock.CountingFences;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockRequests;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.Outcome.Kind;
import io.dflockd.server.time.ManualTime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bwait} on a lock manager with a manual clock (PROTOCOL.md §6.20), routed as a connection's request is. */
class BarriersTest {
    private final ManualTime time = new ManualTime();
    private final LockManager mgr = manager();
    private final Map<LockOwner, List<Kind>> answers = new HashMap<>();
    private long nextConn = 1;

    private LockManager manager() {
        return new LockManager(new LockSettings(1024, 0, 33, 60, true), time, time, new CountingFences());
    }

    private LockOwner party() {
        LockOwner o = new LockOwner(nextConn++);
        answers.put(o, new ArrayList<>());
        return o;
    }

    private Kind bwait(LockOwner o, String key, int count, long timeout) {
        return LockRequests.execute(mgr, o, new Request.BarrierWait(key, count, timeout),
                outcome -> answers.get(o).add(outcome.kind())).kind();
    }

    private List<Kind> answered(LockOwner o) {
        return answers.get(o);
    }

    @Test
    void theLastPartyTripsTheBarrierForAllAtOnce() {
        LockOwner a = party();
        LockOwner b = party();
        LockOwner c = party();
        assertThat(bwait(a, "k", 3, 10)).isEqualTo(Kind.PENDING);
        assertThat(bwait(b, "k", 3, 10)).isEqualTo(Kind.PENDING);
        assertThat(a.isBlocked()).isTrue();
        assertThat(mgr.data().barriers().snapshot()).singleElement()
                .satisfies(s -> assertThat(s.participants()).isEqualTo(2));
        assertThat(bwait(c, "k", 3, 10)).isEqualTo(Kind.DONE);
        assertThat(answered(a)).containsExactly(Kind.DONE);
        assertThat(answered(b)).containsExactly(Kind.DONE);
        assertThat(a.isBlocked()).isFalse();
        assertThat(mgr.data().barriers().snapshot()).isEmpty();
        time.advance(Duration.ofSeconds(20));
        assertThat(answered(a)).as("the timers went with the trip").containsExactly(Kind.DONE);
    }

    @Test
    void aTimeoutBreaksTheBarrierForEveryParty() {
        LockOwner a = party();
        LockOwner b = party();
        bwait(a, "k", 3, 5);
        bwait(b, "k", 3, 60);
        time.advance(Duration.ofSeconds(5));
        assertThat(answered(a)).containsExactly(Kind.TIMEOUT);
        assertThat(answered(b)).containsExactly(Kind.TIMEOUT);
        assertThat(mgr.data().barriers().snapshot()).isEmpty();
        time.advance(Duration.ofSeconds(60));
        assertThat(answered(b)).containsExactly(Kind.TIMEOUT);
    }

    @Test
    void timeoutZeroLeavesAtOnceAndBreaksTheBarrier() {
        LockOwner a = party();
        bwait(a, "k", 3, 10);
        assertThat(bwait(party(), "k", 3, 0)).isEqualTo(Kind.TIMEOUT);
        assertThat(answered(a)).containsExactly(Kind.TIMEOUT);
        assertThat(bwait(party(), "alone", 2, 0)).isEqualTo(Kind.TIMEOUT);
        assertThat(mgr.data().barriers().snapshot()).isEmpty();
    }

    @Test
    void anotherCountIsAMismatchAndChangesNothing() {
        LockOwner a = party();
        bwait(a, "k", 3, 10);
        LockOwner b = party();
        assertThat(bwait(b, "k", 2, 10)).isEqualTo(Kind.BARRIER_COUNT_MISMATCH);
        assertThat(b.isBlocked()).isFalse();
        assertThat(mgr.data().barriers().snapshot()).singleElement().satisfies(s -> {
            assertThat(s.count()).isEqualTo(3);
            assertThat(s.participants()).isEqualTo(1);
        });
    }

    @Test
    void aDisconnectOrACancelledWaitBreaksTheBarrierWithoutAnsweringTheLeaver() {
        LockOwner a = party();
        LockOwner b = party();
        bwait(a, "k", 3, 10);
        bwait(b, "k", 3, 10);
        mgr.disconnect(a);
        assertThat(answered(a)).isEmpty();
        assertThat(answered(b)).containsExactly(Kind.TIMEOUT);
        assertThat(a.isBlocked()).isFalse();

        LockOwner c = party();
        LockOwner d = party();
        bwait(c, "j", 3, 10);
        bwait(d, "j", 3, 10);
        assertThat(mgr.cancelWait(c)).isTrue();
        assertThat(answered(c)).isEmpty();
        assertThat(answered(d)).containsExactly(Kind.TIMEOUT);
        assertThat(mgr.cancelWait(c)).isFalse();
        assertThat(mgr.data().barriers().snapshot()).isEmpty();
    }

    @Test
    void theKeyServesTheNextRoundAfterATrip() {
        LockOwner a = party();
        LockOwner b = party();
        bwait(a, "k", 2, 10);
        assertThat(bwait(b, "k", 2, 10)).isEqualTo(Kind.DONE);
        assertThat(bwait(a, "k", 3, 10)).as("a new barrier, of another count").isEqualTo(Kind.PENDING);
        assertThat(bwait(b, "k", 3, 10)).isEqualTo(Kind.PENDING);
        assertThat(bwait(party(), "k", 3, 10)).isEqualTo(Kind.DONE);
        assertThat(answered(a)).containsExactly(Kind.DONE, Kind.DONE);
    }

    @Test
    void aConnectionThatSendsItsBwaitAgainKeepsItsPlace() {
        // what a client re-attached with stable-ref does on a cluster (§6.13): same owner, new listener
        LockOwner a = party();
        List<Kind> first = new ArrayList<>();
        mgr.data().barriers().await(a, "k", 2, 5, o -> first.add(o.kind()));
        assertThat(bwait(a, "k", 2, 60)).isEqualTo(Kind.PENDING);
        assertThat(mgr.data().barriers().snapshot()).singleElement()
                .satisfies(s -> assertThat(s.participants()).isEqualTo(1));
        time.advance(Duration.ofSeconds(10));
        assertThat(answered(a)).as("the new call's timeout holds").isEmpty();
        assertThat(bwait(party(), "k", 2, 60)).isEqualTo(Kind.DONE);
        assertThat(answered(a)).containsExactly(Kind.DONE);
        assertThat(first).as("the first call is answered no more").isEmpty();
    }

    @Test
    void aBarrierOfOneTripsAtOnce() {
        assertThat(bwait(party(), "k", 1, 10)).isEqualTo(Kind.DONE);
        assertThat(bwait(party(), "k", 1, 0)).isEqualTo(Kind.DONE);
        assertThat(mgr.data().barriers().snapshot()).isEmpty();
    }

    @Test
    void aFillingBarrierTakesAKeyOfTheMaxKeysBudget() {
        LockManager capped = new LockManager(new LockSettings(1024, 0, 33, 60, true, 1, 0), time, time,
                new CountingFences());
        LockOwner a = party();
        Request cset = new Request.CounterOp(io.dflockd.protocol.Command.CSET, "c", 1);
        assertThat(capped.data().barriers().await(a, "k", 2, 10, o -> answered(a).add(o.kind())).kind())
                .isEqualTo(Kind.PENDING);
        assertThat(LockRequests.execute(capped, party(), cset, null).kind()).isEqualTo(Kind.MAX_KEYS);
        assertThat(capped.data().barriers().await(party(), "j", 2, 10, o -> { }).kind()).isEqualTo(Kind.MAX_KEYS);
        assertThat(capped.data().barriers().await(party(), "k", 2, 10, o -> { }).kind()).isEqualTo(Kind.DONE);
        assertThat(LockRequests.execute(capped, party(), cset, null).kind()).as("the trip gave the key back")
                .isEqualTo(Kind.DONE);
    }

    @Test
    void statsShowTheIdleTimeSinceTheLastArrival() {
        bwait(party(), "k", 3, 60);
        time.advance(Duration.ofSeconds(2));
        bwait(party(), "k", 3, 60);
        time.advance(Duration.ofSeconds(3));
        assertThat(mgr.data().barriers().snapshot()).containsExactly(new BarrierSnapshot("k", 3, 2, 3_000_000_000L));
    }

    @Test
    void aSnapshotKeepsTheWaitingPartiesAndTheirTimeouts() throws IOException {
        LockOwner a = party();
        LockOwner b = party();
        bwait(a, "k", 3, 10);
        bwait(b, "k", 3, 20);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataStateCodec.write(mgr.data(), new DataOutputStream(bytes));

        LockManager copy = manager();
        Map<Long, LockOwner> owners = Map.of(a.id(), a, b.id(), b);
        List<String> heard = new ArrayList<>();
        DataStateCodec.read(copy.data(), new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), owners::get,
                owner -> o -> heard.add(owner.id() + " " + o.kind()));
        assertThat(copy.data().barriers().snapshot()).isEqualTo(mgr.data().barriers().snapshot());
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        DataStateCodec.write(copy.data(), new DataOutputStream(again));
        assertThat(again.toByteArray()).as("the same state gives the same bytes").isEqualTo(bytes.toByteArray());

        LockOwner c = new LockOwner(99);
        assertThat(copy.data().barriers().await(c, "k", 3, 10, o -> { }).kind()).isEqualTo(Kind.DONE);
        assertThat(heard).containsExactly(a.id() + " DONE", b.id() + " DONE");
    }
}
