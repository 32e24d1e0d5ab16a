package io.dflockd.client;

import io.dflockd.protocol.Request;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
 * kv.getAsync("config/mode").thenAccept(m -> m.ifPresent(System.out::println));
 * }</pre>
 *
 * <p>A value is 1 character or more without CR or LF or a tab; it is stored byte for byte as UTF-8
 * and comes back the same. An entry whose TTL ran out is gone for every call at once. Creating an
 * entry may throw {@link MaxKeysException}. Thread-safe; calls from several threads run side by side.
 *
 * <p>Each call has an {@code …Async} form that runs it on a worker thread. A bad key, value or TTL
 * throws at the call, before any I/O; other failures fail the future with the exception the blocking
 * call throws. A command is quick and cannot be withdrawn: cancelling the future only stops the caller
 * waiting (and closes the connection the call was on); the write may still have been applied.
 */
public final class DistributedMap extends DataObject {
    DistributedMap(ClientConfig config) {
        super(config, "map");
    }

    /** The value of {@code key}; empty when there is no entry. */
    public Optional<String> get(String key) {
        return call(key, d -> d.kget(key));
    }

    /** {@link #get} on a worker thread. */
    public CompletableFuture<Optional<String>> getAsync(String key) {
        return callAsync(key, d -> d.kget(key));
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
        call(key, kset(key, value, ttl));
    }

    /** {@link #set(String, String)} on a worker thread. */
    public CompletableFuture<Void> setAsync(String key, String value) {
        return setAsync(key, value, null);
    }

    /** {@link #set(String, String, Duration)} on a worker thread. */
    public CompletableFuture<Void> setAsync(String key, String value, Duration ttl) {
        return callAsync(key, kset(key, value, ttl));
    }

    /** Deletes the entry of {@code key}, if any. */
    public void delete(String key) {
        call(key, kdel(key));
    }

    /** {@link #delete} on a worker thread. */
    public CompletableFuture<Void> deleteAsync(String key) {
        return callAsync(key, kdel(key));
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
        return call(key, kcas(key, expected, value, ttl));
    }

    /** {@link #compareAndSet(String, String, String)} on a worker thread. */
    public CompletableFuture<Boolean> compareAndSetAsync(String key, String expected, String value) {
        return compareAndSetAsync(key, expected, value, null);
    }

    /** {@link #compareAndSet(String, String, String, Duration)} on a worker thread. */
    public CompletableFuture<Boolean> compareAndSetAsync(String key, String expected, String value, Duration ttl) {
        return callAsync(key, kcas(key, expected, value, ttl));
    }

    /** Creates the entry with no expiry if there is none; true when created (unlike {@link java.util.Map}, no old value). */
    public boolean putIfAbsent(String key, String value) {
        return putIfAbsent(key, value, null);
    }

    /** Creates the entry, living {@code ttl}, if there is none; true when created. */
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        return compareAndSet(key, null, value, ttl);
    }

    /** {@link #putIfAbsent(String, String)} on a worker thread. */
    public CompletableFuture<Boolean> putIfAbsentAsync(String key, String value) {
        return putIfAbsentAsync(key, value, null);
    }

    /** {@link #putIfAbsent(String, String, Duration)} on a worker thread. */
    public CompletableFuture<Boolean> putIfAbsentAsync(String key, String value, Duration ttl) {
        return compareAndSetAsync(key, null, value, ttl);
    }

    // The write commands, built (and so checked) on the caller's thread, for the blocking and async forms.

    private static Function<DataCommands, Void> kset(String key, String value, Duration ttl) {
        Request.KvSet req = DataCommands.ksetRequest(key, value, ttl);
        return d -> {
            d.kset(req);
            return null;
        };
    }

    private static Function<DataCommands, Void> kdel(String key) {
        return d -> {
            d.kdel(key);
            return null;
        };
    }

    private static Function<DataCommands, Boolean> kcas(String key, String expected, String value, Duration ttl) {
        Request.KvCas req = DataCommands.kcasRequest(key, expected, value, ttl);
        return d -> d.kcas(req);
    }

    @Override
    public String toString() {
        return "DistributedMap" + (isClosed() ? "[closed]" : "");
    }
}
