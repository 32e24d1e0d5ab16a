package io.dflockd.server.watch;

import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.lock.ForwardingLockEvents;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.signal.ChannelStat;
import io.dflockd.server.signal.PatternIndex;
import io.dflockd.server.signal.Subscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which connections watch which key patterns ({@code watch}, PROTOCOL.md §6.19), and the
 * {@code watch <event> <key>} pushes to them (§9.14). Netty-free: the network layer adapts a connection
 * to the same {@link Subscriber} its signal subscriptions and leader observations use, so all pushes
 * share one bounded queue and one slow-consumer rule (§9.9). Patterns are matched by the signal
 * router's trie (§9.5 syntax). Events come from the state: the lock manager (and its data store) built
 * with {@link #watching(LockEvents)} call {@link #changed} for every change of a watched key, on every
 * replica in cluster mode.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li><b>{@link #changed} takes no lock of its own.</b> It runs under the monitor of its key (so the
 *       pushes of one key are queued in the order the key changed), matches the key in the lock-free
 *       {@link PatternIndex} and only ever calls {@link Subscriber#offer}, which never blocks. The
 *       evictions of full subscribers are handed back to run once the monitor is released (closing a
 *       connection runs lock cleanup).</li>
 *   <li><b>The "is anything watched" test is one volatile read</b> ({@link #watches} == 0), so the lock
 *       hot path pays nothing while nobody watches. With watches it answers yes for every key and
 *       {@link #changed} finds out whether one matches.</li>
 *   <li><b>{@link #watch}, {@link #unwatch}, {@link #removeAll}, {@link #subscriptionCount} and
 *       {@link #stats} are serialised by one {@link ReentrantLock}</b>, which guards the index's writer
 *       side and the count.</li>
 *   <li>A change concurrent with a watch or unwatch may or may not reach the connection, as for
 *       signals; one that starts after {@code watch} returned does.</li>
 * </ul>
 */
public final class Watchers {
    /** The outcome of {@link #watch}. */
    public enum Result {
        /** A new subscription. */
        WATCHING,
        /** The connection already watched the pattern: nothing changed (watch is idempotent). */
        ALREADY,
        /** The connection already holds {@code --max-subscriptions} subscriptions (listens and observes included). */
        CAP_REACHED
    }

    static final String SLOW_CONSUMER = "slow consumer: watch push queue full";

    private final int maxSubscriptionsPerConnection;
    private final PatternIndex index = new PatternIndex();
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Every connection's patterns together; written under {@link #writeLock}, read lock-free. */
    private volatile int watches;

    /** @param maxSubscriptionsPerConnection the {@code --max-subscriptions} cap; 0 means unlimited */
    public Watchers(int maxSubscriptionsPerConnection) {
        if (maxSubscriptionsPerConnection < 0) {
            throw new IllegalArgumentException("maxSubscriptionsPerConnection must be >= 0");
        }
        this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
    }

    /**
     * The events to build a lock manager with: all of {@code base}'s, plus the key changes, which end
     * up in {@link #changed}.
     */
    public LockEvents watching(LockEvents base) {
        return new ForwardingLockEvents(base) {
            @Override
            public boolean watchesKey(String key) {
                return watches != 0;
            }

            @Override
            public Runnable keyChanged(String key, WatchFrame.Event event) {
                return changed(key, event);
            }
        };
    }

    /**
     * Subscribes {@code subscriber} to the changes of the keys matching the valid {@code pattern}.
     *
     * @param heldElsewhere the connection's other subscriptions (listens, observes), which count
     *                      against the same cap
     */
    public Result watch(Subscriber subscriber, String pattern, int heldElsewhere) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(pattern, "pattern");
        writeLock.lock();
        try {
            if (index.contains(subscriber, pattern)) {
                return Result.ALREADY;
            }
            if (maxSubscriptionsPerConnection > 0
                    && index.count(subscriber) + heldElsewhere >= maxSubscriptionsPerConnection) {
                return Result.CAP_REACHED;
            }
            index.add(subscriber, pattern);
            watches++;
            return Result.WATCHING;
        } finally {
            writeLock.unlock();
        }
    }

    /** Drops the watch of {@code subscriber} on {@code pattern}; a no-op if absent. */
    public void unwatch(Subscriber subscriber, String pattern) {
        writeLock.lock();
        try {
            if (index.remove(subscriber, pattern)) {
                watches--;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Disconnect cleanup: drops every watch of {@code subscriber}. */
    public void removeAll(Subscriber subscriber) {
        writeLock.lock();
        try {
            watches -= index.removeAll(subscriber);
        } finally {
            writeLock.unlock();
        }
    }

    /** How many patterns {@code subscriber} watches (what counts against the cap, with its listens and observes). */
    public int subscriptionCount(Subscriber subscriber) {
        writeLock.lock();
        try {
            return index.count(subscriber);
        } finally {
            writeLock.unlock();
        }
    }

    /** The {@code watch_channels} entries of {@code stats}: one per watched pattern, with its watchers. */
    public List<ChannelStat> stats() {
        writeLock.lock();
        try {
            return index.stats();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Pushes {@code watch <event> <key>} once to every connection with a pattern matching {@code key}.
     * Called under the key's monitor (see the class comment); never blocks.
     *
     * @return the evictions of the watchers whose queue was full, to run once the monitor is released;
     *     {@code null} when there are none
     */
    Runnable changed(String key, WatchFrame.Event event) {
        if (watches == 0) {
            return null;
        }
        List<Subscriber> matching = index.matching(key);
        if (matching.isEmpty()) {
            return null;
        }
        byte[] frame = WatchFrame.encode(event, key);
        List<Subscriber> full = null;
        for (Subscriber s : matching) {
            if (!s.offer(frame)) {
                if (full == null) {
                    full = new ArrayList<>(1);
                }
                full.add(s);
            }
        }
        if (full == null) {
            return null;
        }
        List<Subscriber> evict = full;
        return () -> evict.forEach(s -> s.evict(SLOW_CONSUMER));
    }
}
