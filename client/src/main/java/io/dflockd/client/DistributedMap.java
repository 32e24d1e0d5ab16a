package io.dflockd.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The server's key-value entries (PROTOCOL.md §6.17): string values under keys of the entry namespace
 * (apart from locks, counters and lists), each with an optional time to live, spread over the servers
 * by the client's sharding as locks are. Made by {@link DflockdClient#map()}.
 *
 * <pre>{@code
 * DistributedMap kv = client.map();
 * kv.set("config/mode", "blue", Duration.ofMinutes(5));
 * Optional<String> mode = kv.get("config/mode");
 * boolean mine = kv.putIfAbsent("jobs/42/owner", "worker-7");
 * }</pre>
 *
 * <p>A value is 1 character or more without CR or LF or a tab; it is stored byte for byte as UTF-8
 * and comes back the same. An entry whose TTL ran out is gone for every call at once. Creating an
 * entry may throw {@link MaxKeysException}. Thread-safe; calls from several threads run side by side.
 */
public final class DistributedMap extends DataObject {
    DistributedMap(ClientConfig config) {
        super(config, "map");
    }

    /** The value of {@code key}; empty when there is no entry. */
    public Optional<String> get(String key) {
        return call(key, d -> d.kget(key));
    }

    /** Sets {@code key} to {@code value} with no expiry, replacing any value and TTL. */
    public void set(String key, String value) {
        set(key, value, null);
    }

    /**
     * Sets {@code key} to {@code value}, replacing any value and TTL.
     *
     * @param ttl how long the entry lives (whole seconds, rounded up); {@code null} or zero: until deleted
     */
    public void set(String key, String value, Duration ttl) {
        call(key, d -> {
            d.kset(key, value, ttl);
            return null;
        });
    }

    /** Deletes the entry of {@code key}, if any. */
    public void delete(String key) {
        call(key, d -> {
            d.kdel(key);
            return null;
        });
    }

    /** Sets {@code key} to {@code value} with no expiry if it holds exactly {@code expected}; true when set. */
    public boolean compareAndSet(String key, String expected, String value) {
        return compareAndSet(key, expected, value, null);
    }

    /**
     * Sets {@code key} to {@code value} if it holds exactly {@code expected}, atomically.
     *
     * @param expected the value the entry must hold; {@code null}: there must be no entry
     * @param ttl as for {@link #set(String, String, Duration)}
     * @return true when set; false when the entry held something else
     */
    public boolean compareAndSet(String key, String expected, String value, Duration ttl) {
        return call(key, d -> d.kcas(key, expected, value, ttl));
    }

    /** Creates the entry with no expiry if there is none; true when created (unlike {@link java.util.Map}, no old value). */
    public boolean putIfAbsent(String key, String value) {
        return putIfAbsent(key, value, null);
    }

    /** Creates the entry, living {@code ttl}, if there is none; true when created. */
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        return compareAndSet(key, null, value, ttl);
    }

    @Override
    public String toString() {
        return "DistributedMap" + (isClosed() ? "[closed]" : "");
    }
}
