package io.dflockd.server.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.FenceToken;
import io.dflockd.server.lock.Outcome.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockManagerTest extends LockManagerFixture {

    private Outcome lock(LockOwner o, String key, long timeout, Inbox inbox) {
        return mgr.acquire(o, key, 1, timeout, 0, inbox);
    }

    @Test
    void grantsAtOnceWithServerDefaultLeaseAndFenceToken() {
        Outcome o = lock(conn(), "k", 5, new Inbox());
        assertThat(o.kind()).isEqualTo(Kind.GRANTED);
        assertThat(o.seconds()).isEqualTo(33);
        assertThat(FenceToken.isWellFormed(o.token())).isTrue();
        assertThat(FenceToken.fence(o.token())).isEqualTo(101);
    }

    @Test
    void aKeptGrantOutlivesItsConnectionExactlyUntilItsLease() {
        LockOwner holder = conn();
        String token = lock(holder, "kept", 5, new Inbox()).token();
        Outcome kept = mgr.keep("kept", token, 10);
        assertThat(kept.kind()).isEqualTo(Kind.RENEWED);
        assertThat(kept.seconds()).isEqualTo(10);
        assertThat(holder.heldCount()).isZero(); // no longer in its connection's care
        mgr.disconnect(holder);

        LockOwner next = conn();
        Inbox inbox = new Inbox();
        assertThat(lock(next, "kept", 60, inbox).kind()).isEqualTo(Kind.PENDING); // still held
        time.advance(Duration.ofMillis(9_999));
        assertThat(inbox.got).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(inbox.only().kind()).isEqualTo(Kind.GRANTED); // exactly at the kept lease's end
    }

    @Test
    void aRenewalToAShorterLeaseEndsItOnTime() {
        String token = lock(conn(), "shorter", 5, new Inbox()).token(); // the default 33 s
        time.advance(Duration.ofSeconds(1));
        mgr.renew("shorter", token, 5);
        Inbox next = new Inbox();
        assertThat(lock(conn(), "shorter", 60, next).kind()).isEqualTo(Kind.PENDING);
        time.advance(Duration.ofMillis(4_999));
        assertThat(next.got).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(next.only().kind()).isEqualTo(Kind.GRANTED); // at 1 + 5 s, not at the old 33 s
    }

    @Test
    void aKeptGrantCanStillBeReleasedOrRenewedByItsToken() {
        LockOwner holder = conn();
        String token = lock(holder, "kept2", 5, new Inbox()).token();
        mgr.keep("kept2", token, 30);
        assertThat(mgr.renew("kept2", token, 40).seconds()).isEqualTo(40);
        assertThat(mgr.release("kept2", token).kind()).isEqualTo(Kind.RELEASED);
        assertThat(mgr.keep("kept2", token, 30).kind()).isEqualTo(Kind.ERROR); // nothing left to keep
    }

    @Test
    void tryLockNeverLeavesAWaiter() {
        lock(conn(), "k", 5, new Inbox());
        assertThat(lock(conn(), "k", 0, new Inbox()).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(mgr.snapshot()).singleElement().satisfies(s -> assertThat(s.waiters()).isZero());
    }

    @Test
    void handsOffInStrictFifoOrderOnRelease() {
        Outcome first = lock(conn(), "k", 5, new Inbox());
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        Inbox c = new Inbox();
        assertThat(lock(conn(), "k", 10, a).kind()).isEqualTo(Kind.PENDING);
        assertThat(lock(conn(), "k", 10, b).kind()).isEqualTo(Kind.PENDING);
        assertThat(lock(conn(), "k", 10, c).kind()).isEqualTo(Kind.PENDING);

        assertThat(mgr.release("k", first.token()).kind()).isEqualTo(Kind.RELEASED);
        assertThat(a.only().kind()).isEqualTo(Kind.GRANTED);
        assertThat(b.got).isEmpty();
        mgr.release("k", a.only().token());
        assertThat(b.only().kind()).isEqualTo(Kind.GRANTED);
        assertThat(c.got).isEmpty();
        assertThat(FenceToken.fence(b.only().token())).isGreaterThan(FenceToken.fence(a.only().token()));
    }

    @Test
    void newcomerNeverOvertakesTheQueue() {
        Outcome first = lock(conn(), "k", 5, new Inbox());
        Inbox queued = new Inbox();
        lock(conn(), "k", 10, queued);
        mgr.release("k", first.token());
        // Slot went to the queued waiter; a try-lock arriving now finds it taken.
        assertThat(lock(conn(), "k", 0, new Inbox()).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(queued.only().kind()).isEqualTo(Kind.GRANTED);
    }

    @Test
    void waitTimesOutExactlyAndLeavesNoWaiter() {
        lock(conn(), "k", 5, new Inbox());
        Inbox w = new Inbox();
        lock(conn(), "k", 3, w);
        time.advance(Duration.ofMillis(2999));
        assertThat(w.got).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(w.only().kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(mgr.snapshot().get(0).waiters()).isZero();
    }

    @Test
    void leaseExpiryHandsTheSlotToTheNextWaiterAtTheDeadline() {
        mgr.acquire(conn(), "k", 1, 5, 2, new Inbox());
        Inbox next = new Inbox();
        lock(conn(), "k", 10, next);
        time.advance(Duration.ofMillis(1999));
        assertThat(next.got).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(next.only().kind()).isEqualTo(Kind.GRANTED);
    }

    @Test
    void renewExtendsFromNowAndDefaultsToServerTtl() {
        Outcome g = mgr.acquire(conn(), "k", 1, 5, 2, new Inbox());
        Inbox next = new Inbox();
        lock(conn(), "k", 100, next);
        time.advance(Duration.ofMillis(1500));
        assertThat(mgr.renew("k", g.token(), 2).seconds()).isEqualTo(2);
        time.advance(Duration.ofMillis(1999));
        assertThat(next.got).isEmpty();
        Outcome renewed = mgr.renew("k", g.token(), 0);
        assertThat(renewed.kind()).isEqualTo(Kind.RENEWED);
        assertThat(renewed.seconds()).isEqualTo(33);
        time.advance(Duration.ofSeconds(32));
        assertThat(next.got).isEmpty();
        time.advance(Duration.ofSeconds(1));
        assertThat(next.only().kind()).isEqualTo(Kind.GRANTED);
    }

    @Test
    void renewAndReleaseOfAnExpiredLeaseFail() {
        Outcome g = mgr.acquire(conn(), "k", 1, 5, 1, new Inbox());
        time.advance(Duration.ofSeconds(1));
        assertThat(mgr.renew("k", g.token(), 0).kind()).isEqualTo(Kind.ERROR);
        assertThat(mgr.release("k", g.token()).kind()).isEqualTo(Kind.ERROR);
        assertThat(mgr.renew("nokey", g.token(), 0).kind()).isEqualTo(Kind.ERROR);
        assertThat(mgr.release("k", "00000000000000000000000000000000").kind()).isEqualTo(Kind.ERROR);
    }

    @Test
    void tokensAreBearerCapabilities() {
        Outcome g = lock(conn(), "k", 5, new Inbox());
        // Another connection may renew and release with the token.
        assertThat(mgr.renew("k", g.token(), 10).kind()).isEqualTo(Kind.RENEWED);
        assertThat(mgr.release("k", g.token()).kind()).isEqualTo(Kind.RELEASED);
        assertThat(mgr.release("k", g.token()).kind()).isEqualTo(Kind.ERROR);
    }

    @Test
    void locksAreNotReentrant() {
        LockOwner o = conn();
        lock(o, "k", 5, new Inbox());
        Inbox again = new Inbox();
        assertThat(lock(o, "k", 1, again).kind()).isEqualTo(Kind.PENDING);
        time.advance(Duration.ofSeconds(1));
        assertThat(again.only().kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void twoPhaseFastPathResetsTheLeaseOnWait() {
        LockOwner o = conn();
        Outcome e = mgr.enqueue(o, "k", 1, 10);
        assertThat(e.kind()).isEqualTo(Kind.ACQUIRED);
        assertThat(e.seconds()).isEqualTo(10);
        time.advance(Duration.ofSeconds(8));
        Outcome w = mgr.await(o, "k", 5, new Inbox());
        assertThat(w.kind()).isEqualTo(Kind.GRANTED);
        assertThat(w.token()).isEqualTo(e.token());
        Inbox next = new Inbox();
        lock(conn(), "k", 100, next);
        time.advance(Duration.ofMillis(9999));
        assertThat(next.got).as("lease was reset to 10 s at w").isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(next.only().kind()).isEqualTo(Kind.GRANTED);
        assertThat(mgr.await(o, "k", 5, new Inbox()).kind()).isEqualTo(Kind.NOT_ENQUEUED);
    }

    @Test
    void twoPhaseQueuedThenGrantedWhileWaiting() {
        Outcome holder = lock(conn(), "k", 5, new Inbox());
        LockOwner o = conn();
        assertThat(mgr.enqueue(o, "k", 1, 0).kind()).isEqualTo(Kind.QUEUED);
        Inbox w = new Inbox();
        assertThat(mgr.await(o, "k", 10, w).kind()).isEqualTo(Kind.PENDING);
        mgr.release("k", holder.token());
        assertThat(w.only().kind()).isEqualTo(Kind.GRANTED);
        mgr.waitFinished(o);
        assertThat(o.recordCount()).isZero();
        // The record ended with the grant; a new e is a new request and, not re-entrant, queues behind itself.
        assertThat(mgr.enqueue(o, "k", 1, 0).kind()).isEqualTo(Kind.QUEUED);
    }

    @Test
    void grantBeforeWaitIsKeptForTheLaterWait() {
        Outcome holder = lock(conn(), "k", 5, new Inbox());
        LockOwner o = conn();
        mgr.enqueue(o, "k", 1, 7);
        mgr.release("k", holder.token());
        time.advance(Duration.ofSeconds(5));
        Outcome w = mgr.await(o, "k", 0, new Inbox());
        assertThat(w.kind()).isEqualTo(Kind.GRANTED);
        assertThat(w.seconds()).isEqualTo(7);
    }

    @Test
    void enqueueTwiceIsRefusedEvenAfterAcquired() {
        LockOwner o = conn();
        mgr.enqueue(o, "k", 1, 0);
        assertThat(mgr.enqueue(o, "k", 1, 0).kind()).isEqualTo(Kind.ALREADY_ENQUEUED);
        LockOwner q = conn();
        assertThat(mgr.enqueue(q, "k", 1, 0).kind()).isEqualTo(Kind.QUEUED);
        assertThat(mgr.enqueue(q, "k", 1, 0).kind()).isEqualTo(Kind.ALREADY_ENQUEUED);
    }

    @Test
    void waitWithoutEnqueueAndAfterTimeout() {
        LockOwner o = conn();
        assertThat(mgr.await(o, "k", 1, new Inbox()).kind()).isEqualTo(Kind.NOT_ENQUEUED);
        lock(conn(), "k", 5, new Inbox());
        mgr.enqueue(o, "k", 1, 0);
        Inbox w = new Inbox();
        mgr.await(o, "k", 2, w);
        time.advance(Duration.ofSeconds(2));
        assertThat(w.only().kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(mgr.snapshot().get(0).waiters()).isZero();
        assertThat(mgr.await(o, "k", 1, new Inbox()).kind()).isEqualTo(Kind.NOT_ENQUEUED);
        assertThat(mgr.enqueue(o, "k", 1, 0).kind()).isEqualTo(Kind.QUEUED);
    }

    @Test
    void waitPollWithZeroTimeoutRemovesTheWaiter() {
        lock(conn(), "k", 5, new Inbox());
        LockOwner o = conn();
        mgr.enqueue(o, "k", 1, 0);
        assertThat(mgr.await(o, "k", 0, new Inbox()).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(mgr.snapshot().get(0).waiters()).isZero();
        assertThat(o.recordCount()).isZero();
    }

    @Test
    void releasedOrExpiredTwoPhaseGrantEndsTheRecord() {
        LockOwner o = conn();
        Outcome e = mgr.enqueue(o, "k", 1, 0);
        mgr.release("k", e.token());
        assertThat(mgr.await(o, "k", 1, new Inbox()).kind()).isEqualTo(Kind.NOT_ENQUEUED);

        LockOwner p = conn();
        mgr.enqueue(p, "j", 1, 1);
        time.advance(Duration.ofSeconds(1));
        assertThat(mgr.await(p, "j", 1, new Inbox()).kind()).isEqualTo(Kind.NOT_ENQUEUED);
        assertThat(mgr.enqueue(p, "j", 1, 1).kind()).isEqualTo(Kind.ACQUIRED);
    }

    @Test
    void semaphoreAdmitsUpToLimitThenQueues() {
        List<Outcome> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(mgr.acquire(conn(), "pool", 3, 5, 0, new Inbox()));
        }
        assertThat(held).extracting(Outcome::kind).containsOnly(Kind.GRANTED);
        assertThat(held).extracting(Outcome::token).doesNotHaveDuplicates();
        Inbox fourth = new Inbox();
        assertThat(mgr.acquire(conn(), "pool", 3, 5, 0, fourth).kind()).isEqualTo(Kind.PENDING);
        mgr.release("pool", held.get(1).token());
        assertThat(fourth.only().kind()).isEqualTo(Kind.GRANTED);
        ResourceSnapshot s = mgr.snapshot().get(0);
        assertThat(s.limit()).isEqualTo(3);
        assertThat(s.holders()).isEqualTo(3);
    }

    @Test
    void oneKeyIsOneResourceAcrossCommandFamilies() {
        mgr.acquire(conn(), "pool", 3, 5, 0, new Inbox());
        assertThat(lock(conn(), "pool", 5, new Inbox()).kind()).isEqualTo(Kind.LIMIT_MISMATCH);
        assertThat(mgr.enqueue(conn(), "pool", 1, 0).kind()).isEqualTo(Kind.LIMIT_MISMATCH);
        assertThat(mgr.acquire(conn(), "pool", 4, 5, 0, new Inbox()).kind()).isEqualTo(Kind.LIMIT_MISMATCH);
        Outcome l = lock(conn(), "lk", 5, new Inbox());
        assertThat(mgr.acquire(conn(), "lk", 2, 0, 0, new Inbox()).kind()).isEqualTo(Kind.LIMIT_MISMATCH);
        // sl with limit 1 shares the lock's queue.
        assertThat(mgr.acquire(conn(), "lk", 1, 0, 0, new Inbox()).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(mgr.release("lk", l.token()).kind()).isEqualTo(Kind.RELEASED);
    }

    @Test
    void maxLocksCountsExistingResourcesUntilCollected() {
        mgr = manager(new LockSettings(2, 0, 33, 10, true));
        Outcome a = lock(conn(), "a", 5, new Inbox());
        lock(conn(), "b", 5, new Inbox());
        assertThat(lock(conn(), "c", 5, new Inbox()).kind()).isEqualTo(Kind.MAX_LOCKS);
        assertThat(mgr.enqueue(conn(), "c", 1, 0).kind()).isEqualTo(Kind.MAX_LOCKS);
        // Existing keys stay usable at the cap.
        assertThat(lock(conn(), "a", 0, new Inbox()).kind()).isEqualTo(Kind.TIMEOUT);
        mgr.release("a", a.token());
        time.advance(Duration.ofSeconds(9));
        assertThat(mgr.collectIdle()).isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(mgr.collectIdle()).isEqualTo(1);
        assertThat(mgr.resourceCount()).isEqualTo(1);
        assertThat(lock(conn(), "c", 5, new Inbox()).kind()).isEqualTo(Kind.GRANTED);
    }

    @Test
    void collectedKeyMayBeRecreatedWithAnotherLimit() {
        mgr = manager(new LockSettings(10, 0, 33, 0, true));
        Outcome g = mgr.acquire(conn(), "k", 2, 5, 0, new Inbox());
        mgr.release("k", g.token());
        assertThat(mgr.collectIdle()).isEqualTo(1);
        assertThat(lock(conn(), "k", 5, new Inbox()).kind()).isEqualTo(Kind.GRANTED);
    }

    @Test
    void wrongTokenDoesNotKeepAResourceAlive() {
        mgr = manager(new LockSettings(10, 0, 33, 10, true));
        Outcome g = lock(conn(), "k", 5, new Inbox());
        mgr.release("k", g.token());
        time.advance(Duration.ofSeconds(9));
        mgr.release("k", g.token());
        mgr.renew("k", g.token(), 0);
        time.advance(Duration.ofSeconds(1));
        assertThat(mgr.collectIdle()).isEqualTo(1);
    }

    @Test
    void maxWaitersCapsEachQueue() {
        mgr = manager(new LockSettings(10, 1, 33, 60, true));
        lock(conn(), "k", 5, new Inbox());
        assertThat(lock(conn(), "k", 5, new Inbox()).kind()).isEqualTo(Kind.PENDING);
        assertThat(lock(conn(), "k", 5, new Inbox()).kind()).isEqualTo(Kind.MAX_WAITERS);
        assertThat(mgr.enqueue(conn(), "k", 1, 0).kind()).isEqualTo(Kind.MAX_WAITERS);
        lock(conn(), "other", 5, new Inbox());
        assertThat(lock(conn(), "other", 5, new Inbox()).kind()).isEqualTo(Kind.PENDING);
    }

    @Test
    void disconnectReleasesHeldSlotsAndDropsWaitersAndRecords() {
        LockOwner a = conn();
        lock(a, "k", 5, new Inbox());
        mgr.enqueue(a, "two", 1, 0);
        LockOwner b = conn();
        Inbox bw = new Inbox();
        lock(b, "k", 10, bw);
        LockOwner c = conn();
        mgr.enqueue(c, "two", 1, 0);
        LockOwner d = conn();
        Inbox dw = new Inbox();
        lock(d, "k", 10, dw);

        mgr.disconnect(b);
        mgr.disconnect(a);
        assertThat(bw.got).as("a disconnected waiter is never granted").isEmpty();
        assertThat(dw.only().kind()).isEqualTo(Kind.GRANTED);
        assertThat(a.heldCount()).isZero();
        assertThat(mgr.await(c, "two", 0, new Inbox()).kind()).isEqualTo(Kind.GRANTED);

        mgr.disconnect(c);
        mgr.disconnect(d);
        assertThat(mgr.snapshot()).allSatisfy(s -> assertThat(s.active()).isFalse());
    }

    @Test
    void withoutAutoReleaseHeldSlotsLiveUntilTheirLeaseButWaitersGo() {
        mgr = manager(new LockSettings(10, 0, 33, 60, false));
        LockOwner a = conn();
        mgr.acquire(a, "k", 1, 5, 4, new Inbox());
        LockOwner b = conn();
        lock(b, "k", 100, new Inbox());
        Inbox c = new Inbox();
        lock(conn(), "k", 100, c);
        mgr.disconnect(a);
        mgr.disconnect(b);
        assertThat(mgr.snapshot().get(0).holders()).isEqualTo(1);
        assertThat(mgr.snapshot().get(0).waiters()).isEqualTo(1);
        time.advance(Duration.ofSeconds(4));
        assertThat(c.only().kind()).isEqualTo(Kind.GRANTED);
    }

    @Test
    void cancelWaitRemovesTheBlockedWaiterWithoutCallingItsListener() {
        lock(conn(), "k", 5, new Inbox());
        LockOwner o = conn();
        Inbox w = new Inbox();
        lock(o, "k", 10, w);
        assertThat(o.isBlocked()).isTrue();
        assertThat(mgr.cancelWait(o)).isTrue();
        assertThat(mgr.cancelWait(o)).isFalse();
        time.advance(Duration.ofSeconds(20));
        assertThat(w.got).isEmpty();
        assertThat(mgr.snapshot().get(0).waiters()).isZero();
    }

    @Test
    void snapshotReportsOwnerAndLeaseLeft() {
        LockOwner o = conn();
        mgr.acquire(o, "k", 1, 5, 10, new Inbox());
        lock(conn(), "k", 10, new Inbox());
        time.advance(Duration.ofSeconds(3));
        ResourceSnapshot s = mgr.snapshot().get(0);
        assertThat(s.ownerConnId()).isEqualTo(o.id());
        assertThat(s.leaseLeftNanos()).isEqualTo(Duration.ofSeconds(7).toNanos());
        assertThat(s.waiters()).isEqualTo(1);
    }

    @Test
    void noTimersLeakAfterEverythingEnds() {
        LockOwner a = conn();
        Outcome g = lock(a, "k", 5, new Inbox());
        Inbox w = new Inbox();
        lock(conn(), "k", 30, w);
        mgr.release("k", g.token());
        mgr.release("k", w.only().token());
        assertThat(time.pending()).isZero();
    }
}
