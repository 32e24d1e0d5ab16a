package io.dflockd.server.data;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import java.util.List;

/**
 * The counters, key-value entries and lists (PROTOCOL.md §6.16-6.18): namespaces of their own,
 * separate from each other and from the locks, whose keys together count against
 * {@code --max-keys}. Owned by a {@link LockManager}, which routes the data requests here; a TCP
 * connection and the cluster's replicated apply run them alike. Netty-free.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li><b>One monitor per namespace</b> ({@link Counters}, {@link KvEntries}, {@link Lists}): every
 *       operation on a namespace, reads included, runs under that namespace's monitor, so each is
 *       atomic and all changes of one key are totally ordered. The operations are O(1) map updates
 *       (an {@code lrange} copies its slice), so a per-key monitor would buy little.</li>
 *   <li>The key count ({@link KeyBudget}) is shared by the namespaces and atomic; a key is taken
 *       before it is created and given back when it is removed, under the namespace's monitor.</li>
 *   <li>Watch pushes ({@link LockEvents#watchesKey}, {@link LockEvents#keyChanged}) are made under the
 *       monitor of the change, so the watchers of a key see its changes in order; what they return
 *       runs after the monitor is released, as do the outcomes of blocking pops
 *       ({@link WaitListener}s never run under a monitor).</li>
 *   <li>Time comes only from the injected {@link Clock} and {@link Scheduler}: an entry's TTL is
 *       compared with the clock on every access (exact expiry), a pop's timeout is a scheduler timer.
 *       In cluster mode these are the replicated ones, so every replica decides alike.</li>
 *   <li>A connection has at most one blocking call, held by its {@link LockOwner#blockedCall()};
 *       its outcome is delivered exactly once, unless it is withdrawn
 *       ({@link #withdrawBlockedCall}).</li>
 * </ul>
 */
public final class DataStore {
    private final KeyBudget budget;
    private final Clock clock;
    private final long gcMaxIdleNanos;
    final Counters counters;
    final KvEntries entries;
    final Lists lists;
    final Barriers barriers;

    public DataStore(LockSettings settings, Clock clock, Scheduler scheduler, LockEvents events) {
        this.budget = new KeyBudget(settings.maxKeys());
        this.clock = clock;
        this.gcMaxIdleNanos = LockManager.toNanos(settings.gcMaxIdleSeconds());
        this.counters = new Counters(budget, clock, events);
        this.entries = new KvEntries(budget, clock, events);
        this.lists = new Lists(budget, settings.maxListLength(), clock, scheduler, events);
        this.barriers = new Barriers(clock, scheduler, budget);
    }

    /** Whether {@code r} is a counter, key-value or list command. */
    public static boolean handles(Request r) {
        return r instanceof Request.CounterOp || r instanceof Request.KvSet || r instanceof Request.KvGet
                || r instanceof Request.KvDelete || r instanceof Request.KvCas || r instanceof Request.ListPush
                || r instanceof Request.ListPop || r instanceof Request.ListLength || r instanceof Request.ListRange
                || r instanceof Request.BarrierWait;
    }

    /**
     * Runs a data request for {@code owner}. A blocking pop or a {@code bwait} that has to wait returns
     * {@link Outcome#pending()} and later hands its final outcome to {@code waits}.
     *
     * @throws IllegalArgumentException if {@link #handles} says no
     */
    public Outcome execute(LockOwner owner, Request r, WaitListener waits) {
        if (r instanceof Request.CounterOp c) {
            return counter(c);
        }
        if (r instanceof Request.KvSet s) {
            return entries.set(s.key(), s.value(), s.ttlSeconds());
        }
        if (r instanceof Request.KvGet g) {
            return entries.get(g.key());
        }
        if (r instanceof Request.KvDelete d) {
            return entries.delete(d.key());
        }
        if (r instanceof Request.KvCas c) {
            return entries.compareAndSet(c.key(), c.expected(), c.value(), c.ttlSeconds());
        }
        if (r instanceof Request.ListPush p) {
            return lists.push(p.key(), p.value(), p.left());
        }
        if (r instanceof Request.ListPop p) {
            if (!p.blocking()) {
                return lists.pop(p.key(), p.left());
            }
            return lists.blockingPop(owner, p.key(), p.left(), p.timeoutSeconds(), waits);
        }
        if (r instanceof Request.ListLength l) {
            return lists.length(l.key());
        }
        if (r instanceof Request.ListRange l) {
            return lists.range(l.key(), l.start(), l.stop());
        }
        if (r instanceof Request.BarrierWait b) {
            return barriers.await(owner, b.key(), b.count(), b.timeoutSeconds(), waits);
        }
        throw new IllegalArgumentException("not a data command: " + r.command());
    }

    private Outcome counter(Request.CounterOp c) {
        if (c.command() == Command.GET) {
            return counters.get(c.key());
        }
        if (c.command() == Command.CSET) {
            return counters.set(c.key(), c.value());
        }
        if (c.command() == Command.INCR) {
            return counters.add(c.key(), c.value(), WatchFrame.Event.INCR);
        }
        if (c.value() == Long.MIN_VALUE) {
            return Outcome.error(); // its negation does not exist
        }
        return counters.add(c.key(), -c.value(), WatchFrame.Event.DECR);
    }

    /** The barriers of {@code bwait} (PROTOCOL.md §6.20), which share the key budget. */
    public Barriers barriers() {
        return barriers;
    }

    /**
     * Withdraws the owner's waiting blocking call, if any (its connection closed, a graceful shutdown):
     * its listener is not called; the caller answers the request itself, if at all.
     *
     * @return true when a waiting call was withdrawn
     */
    public boolean withdrawBlockedCall(LockOwner owner) {
        BlockedCall call = owner.blockedCall();
        return call != null && call.withdraw();
    }

    /** Removes idle counters at 0 and expired entries (lists go as soon as they are empty); returns how many. */
    public int collectIdle() {
        long now = clock.nanoTime();
        return counters.collectIdle(now, gcMaxIdleNanos) + entries.collectExpired(now);
    }

    /** Counters, entries and lists that exist now (what {@code --max-keys} caps). */
    public int keyCount() {
        return budget.used();
    }

    /** {@code stats}' {@code counters}, in key order. */
    public List<DataStats.CounterStat> counterStats() {
        return counters.stats(clock.nanoTime());
    }

    /** {@code stats}' {@code kv_entries}, in key order. */
    public List<DataStats.EntryStat> entryStats() {
        return entries.stats(clock.nanoTime());
    }

    /** {@code stats}' {@code lists}, in key order. */
    public List<DataStats.ListStat> listStats() {
        return lists.stats(clock.nanoTime());
    }
}
