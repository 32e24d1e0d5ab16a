package io.dflockd.server.data;

import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockStateCodec;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The lists (PROTOCOL.md §6.18) and the blocking pops waiting on them, FIFO per key. A list exists
 * while it has items or waiting pops (so a waiting pop takes a key slot, as upstream); it is removed
 * as soon as it has neither. A push onto a list with waiting pops hands its item to the oldest one
 * instead. Guarded by this object's monitor; see {@link DataStore} for the contract.
 */
final class Lists {
    /** One list; guarded by the namespace's monitor. */
    static final class ItemList {
        final ArrayDeque<String> items = new ArrayDeque<>();
        final ArrayDeque<PopWaiter> waiters = new ArrayDeque<>();
        long lastActivity;

        ItemList(long lastActivity) {
            this.lastActivity = lastActivity;
        }
    }

    private final HashMap<String, ItemList> lists = new HashMap<>();
    private final KeyBudget budget;
    private final int maxLength;
    private final Clock clock;
    private final Scheduler scheduler;
    private final LockEvents events;

    /** @param maxLength {@code --max-list-length}, 0 = unlimited */
    Lists(KeyBudget budget, int maxLength, Clock clock, Scheduler scheduler, LockEvents events) {
        this.budget = budget;
        this.maxLength = maxLength;
        this.clock = clock;
        this.scheduler = scheduler;
        this.events = events;
    }

    /** {@code lpush}/{@code rpush}: {@code ok <length>}, or {@code ok 0} when a waiting pop took the item. */
    Outcome push(String key, String item, boolean left) {
        Afterwards after = new Afterwards();
        Outcome out;
        synchronized (this) {
            ItemList l = lists.get(key);
            long now = clock.nanoTime();
            PopWaiter w = l == null ? null : l.waiters.poll();
            if (w != null) {
                l.lastActivity = now;
                w.end();
                w.timeout.cancel();
                after.keyChanged(events, key, left ? WatchFrame.Event.LPUSH : WatchFrame.Event.RPUSH);
                after.keyChanged(events, key, w.left ? WatchFrame.Event.BLPOP : WatchFrame.Event.BRPOP);
                after.deliver(w.listener, Outcome.value(item));
                removeIfEmpty(key, l);
                out = Outcome.number(0);
            } else if (l != null && maxLength > 0 && l.items.size() >= maxLength) {
                return Outcome.of(Outcome.Kind.LIST_FULL);
            } else {
                l = listOrNew(key, l, now);
                if (l == null) {
                    return Outcome.of(Outcome.Kind.MAX_KEYS);
                }
                if (left) {
                    l.items.addFirst(item);
                } else {
                    l.items.addLast(item);
                }
                after.keyChanged(events, key, left ? WatchFrame.Event.LPUSH : WatchFrame.Event.RPUSH);
                out = Outcome.number(l.items.size());
            }
        }
        after.run();
        return out;
    }

    /** {@code lpop}/{@code rpop}: {@code ok <item>} or {@code nil}. */
    Outcome pop(String key, boolean left) {
        Afterwards after = new Afterwards();
        Outcome out;
        synchronized (this) {
            out = popNow(key, left, left ? WatchFrame.Event.LPOP : WatchFrame.Event.RPOP, after);
        }
        after.run();
        return out;
    }

    /**
     * {@code blpop}/{@code brpop}: an item at once if there is one; else {@code nil} for a timeout of 0,
     * or {@link Outcome#pending()} and the item (or {@code nil} when the timeout ends) goes to
     * {@code listener} later.
     */
    Outcome blockingPop(LockOwner owner, String key, boolean left, long timeoutSeconds, WaitListener listener) {
        Afterwards after = new Afterwards();
        Outcome out;
        synchronized (this) {
            WatchFrame.Event event = left ? WatchFrame.Event.BLPOP : WatchFrame.Event.BRPOP;
            out = popNow(key, left, event, after);
            if (out.kind() == Outcome.Kind.NIL && timeoutSeconds > 0) {
                out = park(owner, key, left, timeoutSeconds, listener);
            }
        }
        after.run();
        return out;
    }

    private Outcome popNow(String key, boolean left, WatchFrame.Event event, Afterwards after) {
        ItemList l = lists.get(key);
        if (l == null || l.items.isEmpty()) {
            return Outcome.of(Outcome.Kind.NIL);
        }
        l.lastActivity = clock.nanoTime();
        String item = left ? l.items.pollFirst() : l.items.pollLast();
        after.keyChanged(events, key, event);
        removeIfEmpty(key, l);
        return Outcome.value(item);
    }

    private Outcome park(LockOwner owner, String key, boolean left, long timeoutSeconds, WaitListener listener) {
        long now = clock.nanoTime();
        ItemList l = listOrNew(key, lists.get(key), now);
        if (l == null) {
            return Outcome.of(Outcome.Kind.MAX_KEYS);
        }
        PopWaiter w = new PopWaiter(this, key, owner, left, listener);
        l.waiters.add(w);
        arm(w, LockManager.toNanos(timeoutSeconds), now);
        owner.blockedCall(w);
        return Outcome.pending();
    }

    /** {@code l} (the list of {@code key}, or null) or a new one, touched; null when {@code --max-keys} refuses it. */
    private ItemList listOrNew(String key, ItemList l, long now) {
        if (l == null) {
            if (!budget.tryTake()) {
                return null;
            }
            l = new ItemList(now);
            lists.put(key, l);
        }
        l.lastActivity = now;
        return l;
    }

    /** Arms {@code w}'s timeout {@code delayNanos} after {@code now}. */
    private void arm(PopWaiter w, long delayNanos, long now) {
        w.timeoutAt = now + delayNanos;
        w.timeout = scheduler.schedule(() -> timedOut(w), delayNanos, Scheduler.WAIT_TIMEOUT, w.owner.id());
    }

    private void timedOut(PopWaiter w) {
        Afterwards after = new Afterwards();
        synchronized (this) {
            if (!unpark(w)) {
                return;
            }
            after.deliver(w.listener, Outcome.of(Outcome.Kind.NIL));
        }
        after.run();
    }

    /** Removes a waiting pop without answering it (disconnect, drain); false if it no longer waits. */
    synchronized boolean withdraw(PopWaiter w) {
        if (!unpark(w)) {
            return false;
        }
        w.timeout.cancel();
        return true;
    }

    private boolean unpark(PopWaiter w) {
        if (!w.isWaiting()) {
            return false;
        }
        w.end();
        ItemList l = lists.get(w.key);
        l.waiters.remove(w);
        l.lastActivity = clock.nanoTime();
        removeIfEmpty(w.key, l);
        return true;
    }

    private void removeIfEmpty(String key, ItemList l) {
        if (l.items.isEmpty() && l.waiters.isEmpty()) {
            lists.remove(key);
            budget.release();
        }
    }

    /** {@code llen}: 0 when absent. */
    synchronized Outcome length(String key) {
        ItemList l = lists.get(key);
        if (l == null) {
            return Outcome.number(0);
        }
        l.lastActivity = clock.nanoTime();
        return Outcome.number(l.items.size());
    }

    /**
     * {@code lrange}: items {@code start..stop} inclusive as a JSON array; negative indexes count from
     * the end (-1 = the last), both are clamped to the list, {@code []} when nothing is in range.
     */
    synchronized Outcome range(String key, int start, int stop) {
        ItemList l = lists.get(key);
        if (l == null) {
            return Outcome.value("[]");
        }
        l.lastActivity = clock.nanoTime();
        int n = l.items.size();
        long from = Math.max(0, start < 0 ? (long) n + start : start);
        long to = Math.min(n - 1, stop < 0 ? (long) n + stop : stop);
        List<String> slice = new ArrayList<>();
        Iterator<String> it = l.items.iterator();
        for (long i = 0; i <= to && it.hasNext(); i++) {
            String item = it.next();
            if (i >= from) {
                slice.add(item);
            }
        }
        return Outcome.value(JsonStrings.array(slice));
    }

    /** Writes the lists in key order, items and waiting pops in order ({@link DataStateCodec}). */
    synchronized void write(DataOutput out) throws IOException {
        out.writeInt(lists.size());
        for (Map.Entry<String, ItemList> e : new TreeMap<>(lists).entrySet()) {
            ItemList l = e.getValue();
            LockStateCodec.writeString(out, e.getKey());
            out.writeLong(l.lastActivity);
            out.writeInt(l.items.size());
            for (String item : l.items) {
                LockStateCodec.writeString(out, item);
            }
            out.writeInt(l.waiters.size());
            for (PopWaiter w : l.waiters) {
                out.writeLong(w.owner.id());
                out.writeBoolean(w.left);
                out.writeLong(w.timeoutAt);
            }
        }
    }

    /**
     * Reads what {@link #write} wrote into this empty namespace, re-arming the waiting pops' timeouts.
     *
     * @param owners    the owner of an id
     * @param listeners the listener of an owner's blocking call
     */
    synchronized void read(DataInput in, LongFunction<LockOwner> owners, Function<LockOwner, WaitListener> listeners)
            throws IOException {
        long now = clock.nanoTime();
        for (int n = in.readInt(); n > 0; n--) {
            String key = LockStateCodec.readString(in);
            ItemList l = new ItemList(in.readLong());
            for (int i = in.readInt(); i > 0; i--) {
                l.items.addLast(LockStateCodec.readString(in));
            }
            for (int i = in.readInt(); i > 0; i--) {
                LockOwner owner = owners.apply(in.readLong());
                PopWaiter w = new PopWaiter(this, key, owner, in.readBoolean(), listeners.apply(owner));
                arm(w, Math.max(0, in.readLong() - now), now);
                l.waiters.addLast(w);
                owner.blockedCall(w);
            }
            lists.put(key, l);
            budget.restored();
        }
    }

    /** The lists for {@code stats}, in key order. */
    synchronized List<DataStats.ListStat> stats(long now) {
        List<DataStats.ListStat> out = new ArrayList<>(lists.size());
        for (Map.Entry<String, ItemList> e : lists.entrySet()) {
            ItemList l = e.getValue();
            out.add(new DataStats.ListStat(e.getKey(), l.items.size(), l.waiters.size(), now - l.lastActivity));
        }
        out.sort(DataStats.BY_KEY);
        return out;
    }
}
