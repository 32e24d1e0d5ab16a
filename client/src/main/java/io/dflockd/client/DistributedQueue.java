package io.dflockd.client;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A list of strings on the server (PROTOCOL.md §6.18), under a key of the list namespace (apart from
 * locks, counters and entries), used as a double-ended queue: offer at either end, poll at either end,
 * at once or waiting for an item. Made by {@link DflockdClient#queue(String)}.
 *
 * <pre>{@code
 * DistributedQueue jobs = client.queue("jobs");
 * jobs.offerLast("resize:42");                                // producer
 * Optional<String> job = jobs.pollFirst(Duration.ofSeconds(30)); // consumer: waits for one
 * }</pre>
 *
 * <p>An item is 1 character or more without CR or LF, stored byte for byte as UTF-8. Pollers that wait
 * on a key are served first come, first served; an item offered while one waits goes straight to it.
 * An empty list is gone from the server. Offers may throw {@link ListFullException} (the server's
 * {@code --max-list-length}) and {@link MaxKeysException}. Thread-safe: each waiting poll has a
 * connection of its own, so it holds up no other call.
 */
public final class DistributedQueue extends KeyedDataObject {

    DistributedQueue(ClientConfig config, String key) {
        super(config, "queue", key);
    }

    /** Adds {@code item} at the head; returns the length after, or 0 when a waiting poll took it. */
    public long offerFirst(String item) {
        return call(d -> d.lpush(key, item));
    }

    /** Adds {@code item} at the tail; returns the length after, or 0 when a waiting poll took it. */
    public long offerLast(String item) {
        return call(d -> d.rpush(key, item));
    }

    /** Takes the head item; empty when the list is empty. */
    public Optional<String> pollFirst() {
        return call(d -> d.lpop(key));
    }

    /** Takes the tail item; empty when the list is empty. */
    public Optional<String> pollLast() {
        return call(d -> d.rpop(key));
    }

    /** Takes the head item, waiting up to {@code timeout} (whole seconds, rounded up) for one; empty on timeout. */
    public Optional<String> pollFirst(Duration timeout) {
        return call(d -> d.blpop(key, timeout));
    }

    /** Takes the tail item, waiting up to {@code timeout}; empty on timeout. */
    public Optional<String> pollLast(Duration timeout) {
        return call(d -> d.brpop(key, timeout));
    }

    /**
     * {@link #pollFirst(Duration)} on a worker thread. Cancelling the future withdraws the poll; an item
     * that arrives after the cancellation is put back at the head.
     */
    public CompletableFuture<Optional<String>> pollFirstAsync(Duration timeout) {
        return pollAsync(true, timeout);
    }

    /** {@link #pollLast(Duration)} on a worker thread; an item polled after cancellation is put back at the tail. */
    public CompletableFuture<Optional<String>> pollLastAsync(Duration timeout) {
        return pollAsync(false, timeout);
    }

    private CompletableFuture<Optional<String>> pollAsync(boolean head, Duration timeout) {
        Durations.timeoutSeconds(timeout, "timeout");
        return Op.submit(op -> connections.call(key, op, d -> head ? d.blpop(key, timeout) : d.brpop(key, timeout)),
                item -> item.ifPresent(i -> putBack(head, i)));
    }

    private void putBack(boolean head, String item) {
        try {
            if (head) {
                offerFirst(item);
            } else {
                offerLast(item);
            }
        } catch (RuntimeException e) {
            Shared.LOG.log(Level.WARNING, "queue ''{0}'': an item polled after the poll was cancelled could not"
                    + " be put back: {1}", key, e.toString());
        }
    }

    /** The number of items; 0 when the list does not exist. */
    public long size() {
        return call(d -> d.llen(key));
    }

    /**
     * The items {@code start..stop}, both included, head first; negative indexes count from the tail
     * (-1 is the last item), and the range is clamped, so {@code range(0, -1)} is the whole list.
     */
    public List<String> range(int start, int stop) {
        return call(d -> d.lrange(key, start, stop));
    }

    @Override
    public String toString() {
        return "DistributedQueue[" + key + (isClosed() ? ", closed" : "") + "]";
    }
}
