package io.dflockd.server.data;

import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockStateCodec;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.time.Clock;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counters (PROTOCOL.md §6.16): 64-bit signed, created at 0 by their first change, absent reads
 * as 0. Guarded by this object's monitor; see {@link DataStore} for the contract.
 */
final class Counters {
    /** One counter; guarded by the namespace's monitor. */
    static final class Counter {
        long value;
        long lastActivity;

        Counter(long value, long lastActivity) {
            this.value = value;
            this.lastActivity = lastActivity;
        }
    }

    private final HashMap<String, Counter> counters = new HashMap<>();
    private final KeyBudget budget;
    private final Clock clock;
    private final LockEvents events;

    Counters(KeyBudget budget, Clock clock, LockEvents events) {
        this.budget = budget;
        this.clock = clock;
        this.events = events;
    }

    /** {@code incr} (and {@code decr}, by a negated delta): {@code ok <new value>}, {@code error} on overflow. */
    Outcome add(String key, long delta, WatchFrame.Event event) {
        Afterwards after = new Afterwards();
        Outcome out;
        synchronized (this) {
            Counter c = counterOrNew(key);
            if (c == null) {
                return Outcome.of(Outcome.Kind.MAX_KEYS);
            }
            c.lastActivity = clock.nanoTime();
            long sum = c.value + delta;
            if (((c.value ^ sum) & (delta ^ sum)) < 0) { // the sign flipped against both operands: overflow
                out = Outcome.error();
            } else {
                c.value = sum;
                after.keyChanged(events, key, event);
                out = Outcome.number(sum);
            }
        }
        after.run();
        return out;
    }

    /** {@code cset}. */
    Outcome set(String key, long value) {
        Afterwards after = new Afterwards();
        synchronized (this) {
            Counter c = counterOrNew(key);
            if (c == null) {
                return Outcome.of(Outcome.Kind.MAX_KEYS);
            }
            c.lastActivity = clock.nanoTime();
            c.value = value;
            after.keyChanged(events, key, WatchFrame.Event.CSET);
        }
        after.run();
        return Outcome.of(Outcome.Kind.DONE);
    }

    /** {@code get}: {@code ok 0} when absent, which it leaves absent. */
    synchronized Outcome get(String key) {
        Counter c = counters.get(key);
        if (c == null) {
            return Outcome.number(0);
        }
        c.lastActivity = clock.nanoTime();
        return Outcome.number(c.value);
    }

    private Counter counterOrNew(String key) {
        Counter c = counters.get(key);
        if (c == null && budget.tryTake()) {
            c = new Counter(0, clock.nanoTime());
            counters.put(key, c);
        }
        return c;
    }

    /** Removes the counters at 0 unused for at least {@code maxIdleNanos} (they read as absent ones do). */
    synchronized int collectIdle(long now, long maxIdleNanos) {
        int before = counters.size();
        counters.values().removeIf(c -> c.value == 0 && now - c.lastActivity >= maxIdleNanos);
        int collected = before - counters.size();
        for (int i = 0; i < collected; i++) {
            budget.release();
        }
        return collected;
    }

    /** Writes the counters in key order ({@link DataStateCodec}). */
    synchronized void write(DataOutput out) throws IOException {
        out.writeInt(counters.size());
        for (Map.Entry<String, Counter> e : new TreeMap<>(counters).entrySet()) {
            LockStateCodec.writeString(out, e.getKey());
            out.writeLong(e.getValue().value);
            out.writeLong(e.getValue().lastActivity);
        }
    }

    /** Reads what {@link #write} wrote into this empty namespace. */
    synchronized void read(DataInput in) throws IOException {
        for (int n = in.readInt(); n > 0; n--) {
            counters.put(LockStateCodec.readString(in), new Counter(in.readLong(), in.readLong()));
            budget.restored();
        }
    }

    /** The counters for {@code stats}, in key order. */
    synchronized List<DataStats.CounterStat> stats(long now) {
        List<DataStats.CounterStat> out = new ArrayList<>(counters.size());
        for (Map.Entry<String, Counter> e : counters.entrySet()) {
            out.add(new DataStats.CounterStat(e.getKey(), e.getValue().value, now - e.getValue().lastActivity));
        }
        out.sort(DataStats.BY_KEY);
        return out;
    }
}
