package io.dflockd.server.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.server.lock.CountingFences;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.signal.RecordingSubscriber;
import io.dflockd.server.time.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The leader observer registry on a lock manager with a manual clock: which lock state change pushes
 * which {@code leader} line (PROTOCOL.md §9.13), observe's one-time {@code elected}, unobserve, the
 * shared subscription cap and slow-consumer eviction outside the resource monitor.
 */
class LeaderObserversTest {
    private final ManualTime time = new ManualTime();
    private final LeaderObservers observers = new LeaderObservers(0);
    private final LockManager mgr = manager(observers);
    private final List<Outcome> waited = new ArrayList<>();
    private long nextConn = 1;

    private LockManager manager(LeaderObservers o) {
        // default lease 33 s, auto-release on disconnect
        return new LockManager(new LockSettings(1024, 0, 33, 60, true), time, time, new CountingFences(), o.watching(LockEvents.NONE));
    }

    private RecordingSubscriber observer(String key) {
        RecordingSubscriber c = new RecordingSubscriber();
        assertThat(observers.observe(c, key, 0, mgr)).isEqualTo(LeaderObservers.Result.OBSERVING);
        return c;
    }

    private LockOwner owner() {
        return new LockOwner(nextConn++);
    }

    private Outcome elect(LockOwner o, String key, long timeout, long lease) {
        return mgr.acquire(o, key, 1, timeout, lease, waited::add);
    }

    @Test
    void electResignAndFailoverArePushedInOrder() {
        RecordingSubscriber watcher = observer("k");
        LockOwner a = owner();
        LockOwner b = owner();
        Outcome first = elect(a, "k", 0, 30);
        assertThat(first.kind()).isEqualTo(Outcome.Kind.GRANTED);
        assertThat(watcher.take()).containsExactly("leader elected k");

        assertThat(elect(b, "k", 60, 30).kind()).isEqualTo(Outcome.Kind.PENDING);
        assertThat(watcher.take()).as("a queued candidate changes nothing").isEmpty();

        assertThat(mgr.release("k", first.token()).kind()).isEqualTo(Outcome.Kind.RELEASED);
        assertThat(watcher.take()).containsExactly("leader resigned k", "leader failover k");
        assertThat(waited).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(Outcome.Kind.GRANTED);
            assertThat(o.holder().fence()).isGreaterThan(first.holder().fence());
        });

        assertThat(mgr.release("k", waited.get(0).token()).kind()).isEqualTo(Outcome.Kind.RELEASED);
        assertThat(watcher.take()).as("resigned, nobody to fail over to").containsExactly("leader resigned k");
        assertThat(mgr.release("k", waited.get(0).token()).kind()).isEqualTo(Outcome.Kind.ERROR);
        assertThat(watcher.take()).as("a wrong token changes nothing").isEmpty();
    }

    @Test
    void aLeaseEndOrADisconnectIsAFailoverWithACandidateAndALossWithout() {
        RecordingSubscriber watcher = observer("k");
        LockOwner a = owner();
        LockOwner b = owner();
        elect(a, "k", 0, 10);
        elect(b, "k", 60, 10);
        watcher.take();
        time.advance(Duration.ofSeconds(10));
        assertThat(watcher.take()).as("a's lease ran out, b was queued").containsExactly("leader failover k");
        time.advance(Duration.ofSeconds(10));
        assertThat(watcher.take()).as("b's lease ran out, nobody queued").containsExactly("leader lost k");

        LockOwner c = owner();
        LockOwner d = owner();
        elect(c, "k", 0, 30);
        elect(d, "k", 60, 30);
        mgr.disconnect(c);
        assertThat(watcher.take()).containsExactly("leader elected k", "leader failover k");
        mgr.disconnect(d);
        assertThat(watcher.take()).containsExactly("leader lost k");
        mgr.disconnect(owner());
        assertThat(watcher.take()).isEmpty();
    }

    @Test
    void anExpiredLeaderFoundByTheNextCandidateIsLostThenElected() {
        RecordingSubscriber watcher = observer("k");
        LockOwner a = owner();
        elect(a, "k", 0, 5);
        watcher.take();
        // No timer ran yet (the clock is moved without running them): the next elect finds it expired.
        time.jump(Duration.ofSeconds(6));
        assertThat(elect(owner(), "k", 0, 5).kind()).isEqualTo(Outcome.Kind.GRANTED);
        assertThat(watcher.take()).containsExactly("leader lost k", "leader elected k");
    }

    @Test
    void observeTellsOfACurrentLeaderOnceAndUnobserveStopsThePushes() {
        LockOwner a = owner();
        Outcome grant = elect(a, "k", 0, 30);
        RecordingSubscriber late = observer("k");
        assertThat(late.take()).containsExactly("leader elected k");
        assertThat(observers.observe(late, "k", 0, mgr)).isEqualTo(LeaderObservers.Result.ALREADY);
        assertThat(late.take()).as("observe is idempotent").isEmpty();
        RecordingSubscriber other = observer("j");
        assertThat(other.take()).as("no leader on j").isEmpty();

        observers.unobserve(late, "k");
        assertThat(observers.observed("k")).isFalse();
        mgr.release("k", grant.token());
        assertThat(late.take()).isEmpty();
        assertThat(observers.subscriptionCount(late)).isZero();
        observers.unobserve(late, "k"); // a no-op

        observers.removeAll(other);
        assertThat(observers.observed("j")).isFalse();
        elect(owner(), "j", 0, 30);
        assertThat(other.take()).isEmpty();
    }

    @Test
    void onlyLocksHaveLeaders() {
        RecordingSubscriber sem = observer("s");
        RecordingSubscriber rw = observer("rw");
        mgr.acquire(owner(), "s", 2, 0, 30, waited::add);
        mgr.acquireReadWrite(owner(), "rw", true, 0, 30, waited::add);
        assertThat(sem.take()).isEmpty();
        assertThat(rw.take()).isEmpty();
        RecordingSubscriber late = observer("s");
        assertThat(late.take()).as("a semaphore's holder is no leader").isEmpty();
    }

    @Test
    void observationsCountAgainstTheSharedCap() {
        LeaderObservers capped = new LeaderObservers(2);
        LockManager locks = manager(capped);
        RecordingSubscriber c = new RecordingSubscriber();
        assertThat(capped.observe(c, "a", 1, locks)).isEqualTo(LeaderObservers.Result.OBSERVING);
        assertThat(capped.observe(c, "b", 1, locks)).as("one listen + one observe = the cap")
                .isEqualTo(LeaderObservers.Result.CAP_REACHED);
        assertThat(capped.observe(c, "a", 1, locks)).as("already observed: no new subscription")
                .isEqualTo(LeaderObservers.Result.ALREADY);
        assertThat(capped.observe(c, "b", 0, locks)).isEqualTo(LeaderObservers.Result.OBSERVING);
        assertThat(capped.subscriptionCount(c)).isEqualTo(2);
    }

    @Test
    void aFullObserverIsEvictedOnceTheResourceIsUnlocked() {
        RecordingSubscriber full = new RecordingSubscriber(0);
        List<Boolean> couldLock = new ArrayList<>();
        // Another thread must be able to take the key's monitor while the eviction runs.
        full.onEvict = () -> couldLock.add(CompletableFuture.supplyAsync(() -> mgr.whileLeaderHeld("k", () -> { }))
                .completeOnTimeout(null, 5, TimeUnit.SECONDS).join() != null);
        assertThat(observers.observe(full, "k", 0, mgr)).isEqualTo(LeaderObservers.Result.OBSERVING);
        RecordingSubscriber fine = observer("k");
        elect(owner(), "k", 0, 30);
        assertThat(full.evictions).hasSize(1);
        assertThat(couldLock).containsExactly(true);
        assertThat(fine.take()).containsExactly("leader elected k");

        RecordingSubscriber lateFull = new RecordingSubscriber(0);
        lateFull.onEvict = full.onEvict;
        observers.observe(lateFull, "k", 0, mgr);
        assertThat(lateFull.evictions).as("the elected of observe time").hasSize(1);
        assertThat(couldLock).containsExactly(true, true);
    }
}
