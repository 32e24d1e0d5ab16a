package io.dflockd.server.data;

import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockStateCodec;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.time.Clock;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key-value entries (PROTOCOL.md §6.17). An entry whose TTL ran out is absent to every command
 * at once (it is checked against the clock on each access, no timer needed) and is removed by the
 * access that finds it, or by the next idle collection. Entries without TTL stay until deleted.
 * Guarded by this object's monitor; see {@link DataStore} for the contract.
 */
final class KvEntries {
    /** One entry; guarded by the namespace's monitor. */
    static final class Entry {
        String value;
        /** When it expires (the clock's nanoseconds), meaningful only if {@link #expires}. */
        long expiresAt;
        boolean expires;
        long lastActivity;

        Entry(String value, long ttlSeconds, long now) {
            set(value, ttlSeconds, now);
        }

        /** An entry as a snapshot holds it. */
        Entry(String value, boolean expires, long expiresAt, long lastActivity) {
            this.value = value;
            this.expires = expires;
            this.expiresAt = expiresAt;
            this.lastActivity = lastActivity;
        }

        void set(String value, long ttlSeconds, long now) {
            this.value = value;
            this.expires = ttlSeconds > 0;
            this.expiresAt = expires ? now + LockManager.toNanos(ttlSeconds) : 0;
            this.lastActivity = now;
        }

        boolean expiredAt(long now) {
            return expires && expiresAt - now <= 0;
        }
    }

    private final HashMap<String, Entry> entries = new HashMap<>();
    private final KeyBudget budget;
    private final Clock clock;
    private final LockEvents events;

    KvEntries(KeyBudget budget, Clock clock, LockEvents events) {
        this.budget = budget;
        this.clock = clock;
        this.events = events;
    }

    /** {@code kset}: creates or replaces (value and TTL); 0 = no expiry. */
    Outcome set(String key, String value, long ttlSeconds) {
        Afterwards after = new Afterwards();
        synchronized (this) {
            long now = clock.nanoTime();
            if (!put(key, live(key, now), value, ttlSeconds, now)) {
                return Outcome.of(Outcome.Kind.MAX_KEYS);
            }
            after.keyChanged(events, key, WatchFrame.Event.KSET);
        }
        after.run();
        return Outcome.of(Outcome.Kind.DONE);
    }

    /** {@code kget}: the value or {@code nil}. */
    synchronized Outcome get(String key) {
        long now = clock.nanoTime();
        Entry e = live(key, now);
        if (e == null) {
            return Outcome.of(Outcome.Kind.NIL);
        }
        e.lastActivity = now;
        return Outcome.value(e.value);
    }

    /** {@code kdel}: {@code ok} whether or not there was an entry. */
    Outcome delete(String key) {
        Afterwards after = new Afterwards();
        synchronized (this) {
            if (live(key, clock.nanoTime()) != null) {
                remove(key);
                after.keyChanged(events, key, WatchFrame.Event.KDEL);
            }
        }
        after.run();
        return Outcome.of(Outcome.Kind.DONE);
    }

    /** {@code kcas}: sets when the entry holds {@code expected}, or is absent and {@code expected} is empty. */
    Outcome compareAndSet(String key, String expected, String value, long ttlSeconds) {
        Afterwards after = new Afterwards();
        synchronized (this) {
            long now = clock.nanoTime();
            Entry e = live(key, now);
            if (e == null ? !expected.isEmpty() : !e.value.equals(expected)) {
                return Outcome.of(Outcome.Kind.CAS_CONFLICT);
            }
            if (!put(key, e, value, ttlSeconds, now)) {
                return Outcome.of(Outcome.Kind.MAX_KEYS);
            }
            after.keyChanged(events, key, WatchFrame.Event.KCAS);
        }
        after.run();
        return Outcome.of(Outcome.Kind.DONE);
    }

    /**
     * Sets the live entry {@code e} of {@code key}, or creates it when {@code e} is null; false (nothing
     * changed) when {@code --max-keys} refuses a new one.
     */
    private boolean put(String key, Entry e, String value, long ttlSeconds, long now) {
        if (e != null) {
            e.set(value, ttlSeconds, now);
        } else if (budget.tryTake()) {
            entries.put(key, new Entry(value, ttlSeconds, now));
        } else {
            return false;
        }
        return true;
    }

    /** The entry of {@code key} unless absent or expired (an expired one is removed). */
    private Entry live(String key, long now) {
        Entry e = entries.get(key);
        if (e != null && e.expiredAt(now)) {
            remove(key);
            return null;
        }
        return e;
    }

    private void remove(String key) {
        entries.remove(key);
        budget.release();
    }

    /** Removes the expired entries; returns how many. */
    synchronized int collectExpired(long now) {
        int collected = 0;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
            if (it.next().expiredAt(now)) {
                it.remove();
                budget.release();
                collected++;
            }
        }
        return collected;
    }

    /** Writes the entries in key order, expired ones included ({@link DataStateCodec}). */
    synchronized void write(DataOutput out) throws IOException {
        out.writeInt(entries.size());
        for (Map.Entry<String, Entry> m : new TreeMap<>(entries).entrySet()) {
            Entry e = m.getValue();
            LockStateCodec.writeString(out, m.getKey());
            LockStateCodec.writeString(out, e.value);
            out.writeBoolean(e.expires);
            out.writeLong(e.expiresAt);
            out.writeLong(e.lastActivity);
        }
    }

    /** Reads what {@link #write} wrote into this empty namespace. */
    synchronized void read(DataInput in) throws IOException {
        for (int n = in.readInt(); n > 0; n--) {
            String key = LockStateCodec.readString(in);
            entries.put(key, new Entry(LockStateCodec.readString(in), in.readBoolean(), in.readLong(), in.readLong()));
            budget.restored();
        }
    }

    /** The live entries for {@code stats}, in key order. */
    synchronized List<DataStats.EntryStat> stats(long now) {
        List<DataStats.EntryStat> out = new ArrayList<>(entries.size());
        for (Map.Entry<String, Entry> m : entries.entrySet()) {
            Entry e = m.getValue();
            if (!e.expiredAt(now)) {
                out.add(new DataStats.EntryStat(m.getKey(), e.value.length(), e.expires ? e.expiresAt - now : 0,
                        now - e.lastActivity));
            }
        }
        out.sort(DataStats.BY_KEY);
        return out;
    }
}
