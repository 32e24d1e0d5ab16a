package io.dflockd.client;

/**
 * A 64-bit signed counter on the server (PROTOCOL.md §6.16), under a key of the counter namespace
 * (apart from locks, entries and lists). A counter that does not exist reads as 0; the first change
 * creates it. Made by {@link DflockdClient#counter(String)}.
 *
 * <pre>{@code
 * DistributedCounter visits = client.counter("visits");
 * long n = visits.incrementAndGet();
 * }</pre>
 *
 * <p>Every call is one atomic command. A change that would overflow is refused with a
 * {@link ServerErrorException} and leaves the value as it was; creating the counter may throw
 * {@link MaxKeysException}. Thread-safe; calls from several threads run side by side.
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

    /** Subtracts 1 and returns the new value. */
    public long decrementAndGet() {
        return decrementAndGet(1);
    }

    /** Subtracts {@code delta} and returns the new value. */
    public long decrementAndGet(long delta) {
        return call(d -> d.decr(key, delta));
    }

    /** The value; 0 when the counter does not exist. */
    public long get() {
        return call(d -> d.get(key));
    }

    /** Sets the value. */
    public void set(long value) {
        call(d -> {
            d.cset(key, value);
            return null;
        });
    }

    @Override
    public String toString() {
        return "DistributedCounter[" + key + (isClosed() ? ", closed" : "") + "]";
    }
}
