package io.dflockd.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A 64-bit signed counter on the server (PROTOCOL.md §6.16), under a key of the counter namespace
 * (apart from locks, entries and lists). A counter that does not exist reads as 0; the first change
 * creates it. Made by {@link DflockdClient#counter(String)}.
 *
 * <pre>{@code
 * DistributedCounter visits = client.counter("visits");
 * long n = visits.incrementAndGet();
 * visits.incrementAndGetAsync().thenAccept(System.out::println);
 * }</pre>
 *
 * <p>Every call is one atomic command. A change that would overflow is refused with a
 * {@link ServerErrorException} and leaves the value as it was; creating the counter may throw
 * {@link MaxKeysException}. Thread-safe; calls from several threads run side by side.
 *
 * <p>Each call has an {@code …Async} form that runs it on a worker thread. Its future fails with the
 * exception the blocking call throws. A command is quick and cannot be withdrawn: cancelling the future
 * only stops the caller waiting (and closes the connection the call was on); the change may still have
 * been applied.
 */
public final class DistributedCounter extends KeyedDataObject {

    DistributedCounter(ClientConfig config, String key) {
        super(config, "counter", key);
    }

    /** Adds 1 and returns the new value. */
    public long incrementAndGet() {
        return incrementAndGet(1);
    }

    /** Adds {@code delta} (which may be negative) and returns the new value. */
    public long incrementAndGet(long delta) {
        return call(d -> d.incr(key, delta));
    }

    /** {@link #incrementAndGet()} on a worker thread. */
    public CompletableFuture<Long> incrementAndGetAsync() {
        return incrementAndGetAsync(1);
    }

    /** {@link #incrementAndGet(long)} on a worker thread. */
    public CompletableFuture<Long> incrementAndGetAsync(long delta) {
        return callAsync(d -> d.incr(key, delta));
    }

    /** Subtracts 1 and returns the new value. */
    public long decrementAndGet() {
        return decrementAndGet(1);
    }

    /** Subtracts {@code delta} and returns the new value. */
    public long decrementAndGet(long delta) {
        return call(d -> d.decr(key, delta));
    }

    /** {@link #decrementAndGet()} on a worker thread. */
    public CompletableFuture<Long> decrementAndGetAsync() {
        return decrementAndGetAsync(1);
    }

    /** {@link #decrementAndGet(long)} on a worker thread. */
    public CompletableFuture<Long> decrementAndGetAsync(long delta) {
        return callAsync(d -> d.decr(key, delta));
    }

    /** The value; 0 when the counter does not exist. */
    public long get() {
        return call(d -> d.get(key));
    }

    /** {@link #get()} on a worker thread. */
    public CompletableFuture<Long> getAsync() {
        return callAsync(d -> d.get(key));
    }

    /** Sets the value. */
    public void set(long value) {
        call(cset(value));
    }

    /** {@link #set(long)} on a worker thread. */
    public CompletableFuture<Void> setAsync(long value) {
        return callAsync(cset(value));
    }

    /** The {@code cset} call of {@link #set} and {@link #setAsync}. */
    private Function<DataCommands, Void> cset(long value) {
        return d -> {
            d.cset(key, value);
            return null;
        };
    }

    @Override
    public String toString() {
        return "DistributedCounter[" + key + (isClosed() ? ", closed" : "") + "]";
    }
}
