package io.dflockd.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.lock.CountingFences;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.signal.ChannelStat;
import io.dflockd.server.signal.RecordingSubscriber;
import io.dflockd.server.time.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The watch registry on a lock manager with a manual clock: pattern matching, one push per connection,
 * the order of a key's events, the lock-side events (PROTOCOL.md §9.14), the shared subscription cap,
 * removal and slow-consumer eviction outside the resource monitor.
 */
class WatchersTest {
    private final ManualTime time = new ManualTime();
    private final Watchers watchers = new Watchers(0);
    private final LockEvents events = watchers.watching(LockEvents.NONE);
    private final LockManager mgr = new LockManager(new LockSettings(1024, 0, 33, 60, true), time, time,
            new CountingFences(), events);
    private final List<Outcome> waited = new ArrayList<>();
    private long nextConn = 1;

    private RecordingSubscriber watcher(String... patterns) {
        RecordingSubscriber c = new RecordingSubscriber();
        for (String p : patterns) {
            assertThat(watchers.watch(c, p, 0)).isEqualTo(Watchers.Result.WATCHING);
        }
        return c;
    }

    private LockOwner owner() {
        return new LockOwner(nextConn++);
    }

    private void change(String key, WatchFrame.Event event) {
        if (events.watchesKey(key)) {
            Runnable after = events.keyChanged(key, event);
            if (after != null) {
                after.run();
            }
        }
    }

    @Test
    void patternsMatchAsListenPatternsDo() {
        RecordingSubscriber exact = watcher("jobs.a");
        RecordingSubscriber star = watcher("jobs.*");
        RecordingSubscriber tail = watcher("jobs.>");
        RecordingSubscriber other = watcher("mail.*");
        change("jobs.a", WatchFrame.Event.INCR);
        change("jobs.a.b", WatchFrame.Event.KSET);
        change("jobs", WatchFrame.Event.KDEL);
        assertThat(exact.take()).containsExactly("watch incr jobs.a");
        assertThat(star.take()).containsExactly("watch incr jobs.a");
        assertThat(tail.take()).containsExactly("watch incr jobs.a", "watch kset jobs.a.b");
        assertThat(other.take()).isEmpty();
    }

    @Test
    void aConnectionHearsOfAChangeOnceHoweverManyOfItsPatternsMatch() {
        RecordingSubscriber c = watcher("k", "*", ">");
        change("k", WatchFrame.Event.CSET);
        assertThat(c.take()).containsExactly("watch cset k");
        assertThat(watchers.watch(c, "k", 0)).as("watch is idempotent").isEqualTo(Watchers.Result.ALREADY);
        assertThat(watchers.subscriptionCount(c)).isEqualTo(3);
    }

    @Test
    void nothingIsWantedWhileNobodyWatches() {
        assertThat(events.watchesKey("k")).isFalse();
        RecordingSubscriber c = watcher("other");
        assertThat(events.watchesKey("k")).as("some watch exists: changed() decides").isTrue();
        assertThat(events.keyChanged("k", WatchFrame.Event.INCR)).isNull();
        watchers.removeAll(c);
        assertThat(events.watchesKey("k")).isFalse();
    }

    @Test
    void locksTellOfEveryGrantAndEveryEndOfASlotInOrder() {
        RecordingSubscriber c = watcher("k");
        LockOwner a = owner();
        LockOwner b = owner();
        Outcome first = mgr.acquire(a, "k", 1, 0, 30, waited::add);
        assertThat(mgr.acquire(b, "k", 1, 60, 30, waited::add).kind()).isEqualTo(Outcome.Kind.PENDING);
        assertThat(c.take()).containsExactly("watch acquire k");
        mgr.release("k", first.token());
        assertThat(c.take()).as("released, handed over").containsExactly("watch release k", "watch acquire k");
        time.advance(Duration.ofSeconds(30));
        assertThat(c.take()).as("the lease ran out").containsExactly("watch release k");

        mgr.acquire(a, "k", 1, 0, 30, waited::add);
        mgr.disconnect(a);
        assertThat(c.take()).as("disconnect cleanup").containsExactly("watch acquire k", "watch release k");

        assertThat(mgr.enqueue(b, "k", 1, 30).kind()).isEqualTo(Outcome.Kind.ACQUIRED);
        assertThat(mgr.await(b, "k", 10, waited::add).kind()).isEqualTo(Outcome.Kind.GRANTED);
        assertThat(c.take()).as("a two-phase grant is one acquire").containsExactly("watch acquire k");
    }

    @Test
    void electAndResignAreToldAsSuch() {
        RecordingSubscriber c = watcher("lead.*");
        LockOwner a = owner();
        LockOwner b = owner();
        Outcome leader = mgr.elect(a, "lead.x", 0, 30, waited::add);
        mgr.elect(b, "lead.x", 60, 30, waited::add);
        mgr.resign("lead.x", leader.token());
        assertThat(c.take()).containsExactly("watch elect lead.x", "watch resign lead.x", "watch elect lead.x");
        mgr.disconnect(b);
        assertThat(c.take()).as("a leader that disconnects is released").containsExactly("watch release lead.x");
    }

    @Test
    void semaphoresAndReadWriteLocksAreWatchedToo() {
        RecordingSubscriber c = watcher(">");
        Outcome s = mgr.acquire(owner(), "s", 2, 0, 30, waited::add);
        Outcome w = mgr.acquireReadWrite(owner(), "rw", true, 0, 30, waited::add);
        mgr.release("s", s.token());
        mgr.release("rw", w.token());
        assertThat(c.take()).containsExactly("watch acquire s", "watch acquire rw", "watch release s",
                "watch release rw");
    }

    @Test
    void watchesCountAgainstTheSharedCap() {
        Watchers capped = new Watchers(2);
        RecordingSubscriber c = new RecordingSubscriber();
        assertThat(capped.watch(c, "a", 1)).isEqualTo(Watchers.Result.WATCHING);
        assertThat(capped.watch(c, "b", 1)).as("one listen + one watch = the cap")
                .isEqualTo(Watchers.Result.CAP_REACHED);
        assertThat(capped.watch(c, "a", 1)).as("already watched: no new subscription")
                .isEqualTo(Watchers.Result.ALREADY);
        assertThat(capped.watch(c, "b", 0)).isEqualTo(Watchers.Result.WATCHING);
        assertThat(capped.subscriptionCount(c)).isEqualTo(2);
    }

    @Test
    void unwatchAndDisconnectRemoveWatches() {
        RecordingSubscriber one = watcher("a.*", "b");
        RecordingSubscriber two = watcher("a.*");
        assertThat(watchers.stats()).containsExactlyInAnyOrder(new ChannelStat("a.*", null, 2),
                new ChannelStat("b", null, 1));
        watchers.unwatch(one, "a.*");
        watchers.unwatch(one, "a.*"); // a no-op
        change("a.x", WatchFrame.Event.INCR);
        assertThat(one.take()).isEmpty();
        assertThat(two.take()).containsExactly("watch incr a.x");
        watchers.removeAll(one);
        watchers.removeAll(two);
        change("a.x", WatchFrame.Event.INCR);
        change("b", WatchFrame.Event.INCR);
        assertThat(one.take()).isEmpty();
        assertThat(two.take()).isEmpty();
        assertThat(watchers.stats()).isEmpty();
        assertThat(watchers.subscriptionCount(one)).isZero();
    }

    @Test
    void aFullWatcherIsEvictedOnceTheResourceIsUnlocked() {
        RecordingSubscriber full = new RecordingSubscriber(0);
        List<Boolean> couldLock = new ArrayList<>();
        // Another thread must be able to take the key's monitor while the eviction runs.
        full.onEvict = () -> couldLock.add(CompletableFuture.supplyAsync(() -> mgr.whileLeaderHeld("k", () -> { }))
                .completeOnTimeout(null, 5, TimeUnit.SECONDS).join() != null);
        assertThat(watchers.watch(full, "k", 0)).isEqualTo(Watchers.Result.WATCHING);
        RecordingSubscriber fine = watcher("*");
        mgr.acquire(owner(), "k", 1, 0, 30, waited::add);
        assertThat(full.evictions).containsExactly(Watchers.SLOW_CONSUMER);
        assertThat(couldLock).containsExactly(true);
        assertThat(fine.take()).containsExactly("watch acquire k");
    }
}
