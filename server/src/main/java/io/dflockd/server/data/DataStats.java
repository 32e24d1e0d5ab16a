package io.dflockd.server.data;

import java.util.Comparator;

/**
 * What {@code stats} shows of the data store (PROTOCOL.md §10): one record per key, keys byte-exact
 * Latin-1 as on the wire, times in nanoseconds of the store's clock.
 */
public final class DataStats {
    static final Comparator<Keyed> BY_KEY = Comparator.comparing(Keyed::key);

    private DataStats() {
    }

    /** A record about one key. */
    public interface Keyed {
        String key();
    }

    /** {@code counters[]}: {@code {key, value, idle_s}}. */
    public record CounterStat(String key, long value, long idleNanos) implements Keyed {
    }

    /** {@code kv_entries[]}: {@code {key, value_len, ttl, idle_s}}; {@code ttlLeftNanos} 0 = no expiry. */
    public record EntryStat(String key, int valueLength, long ttlLeftNanos, long idleNanos) implements Keyed {
    }

    /** {@code lists[]}: {@code {key, len, pop_waiters, idle_s}}. */
    public record ListStat(String key, int length, int popWaiters, long idleNanos) implements Keyed {
    }
}
