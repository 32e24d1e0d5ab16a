package io.dflockd.server.signal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Routes signals (PROTOCOL.md §9) from publishers to subscribed connections: exact and NATS-style
 * wildcard patterns, ungrouped and queue-group delivery, slow-consumer eviction, per-connection
 * subscription caps and cleanup. Netty-free; the network layer adapts connections to
 * {@link Subscriber}.
 *
 * <p>All strings are byte-exact Latin-1 (one char per wire byte) and are validated by the caller:
 * patterns by {@code Subjects.isValidPattern}, channels by {@code !Subjects.hasWildcard}.
 *
 * <h2>Concurrency</h2>
 * Publishing is the hot path, called concurrently from every event loop, while listen, unlisten
 * and disconnects are comparatively rare. So:
 * <ul>
 *   <li><b>{@link #publish} takes no lock at all.</b> Trie children sit in concurrent maps (a
 *       publisher only looks them up); the subscribers and groups of each pattern, and the members
 *       of each group, are immutable copy-on-write arrays, all reached through volatile fields. A
 *       publisher therefore never waits for a writer or another publisher, no reader counter
 *       bounces between cores (as a read-write lock's would), every pattern is seen as an exact
 *       snapshot (no duplicate copies while someone re-subscribes), and {@link Subscriber#offer}
 *       and {@link Subscriber#evict} are by construction never called under a router lock.</li>
 *   <li><b>Mutations ({@link #listen}, {@link #unlisten}, {@link #removeAll}) are serialised by one
 *       {@link ReentrantLock}</b>, which also guards the per-connection subscription index and
 *       makes {@link #stats} a consistent snapshot. Only one writer at a time means node pruning
 *       can never race with a concurrent insert into the same node.</li>
 *   <li>A publish that runs concurrently with a mutation sees each subscription either before or
 *       after the change (an in-flight signal may still reach a connection that is just
 *       unlistening); one that starts after a mutation returned sees its effect, since every
 *       change is published through a volatile write or a concurrent-map update.</li>
 *   <li>Round-robin counters are {@code AtomicLong}s, so concurrent publishers to one group each
 *       take a distinct start position.</li>
 * </ul>
 */
public final class SignalRouter {
    private final int maxSubscriptionsPerConnection;
    private final SignalEvents events;
    private final SubjectTrie trie = new SubjectTrie();
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guarded by {@link #writeLock}. Identity-keyed: one subscriber instance is one connection. */
    private final Map<Subscriber, Listener> listeners = new IdentityHashMap<>();

    /**
     * @param maxSubscriptionsPerConnection the {@code --max-subscriptions} cap; 0 means unlimited
     */
    public SignalRouter(int maxSubscriptionsPerConnection) {
        this(maxSubscriptionsPerConnection, SignalEvents.NONE);
    }

    /** @param events told of each publish's deliveries, drops and evictions */
    public SignalRouter(int maxSubscriptionsPerConnection, SignalEvents events) {
        this.events = events;
        if (maxSubscriptionsPerConnection < 0) {
            throw new IllegalArgumentException("maxSubscriptionsPerConnection must be >= 0");
        }
        this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
    }

    /**
     * Subscribes {@code subscriber} to {@code pattern}, individually or in queue group
     * {@code group}. Re-subscribing the same (pattern, group) is an idempotent {@code OK} that does
     * not count against the cap.
     *
     * @param group the trimmed group name; {@code null} or {@code ""} means ungrouped
     */
    public ListenResult listen(Subscriber subscriber, String pattern, String group) {
        return listen(subscriber, pattern, group, 0);
    }

    /**
     * {@link #listen(Subscriber, String, String)} for a connection that holds {@code heldElsewhere}
     * other subscriptions counted against the same cap (its leader observations, PROTOCOL.md §6.15).
     */
    public ListenResult listen(Subscriber subscriber, String pattern, String group, int heldElsewhere) {
        Objects.requireNonNull(subscriber, "subscriber");
        SubscriptionKey key = new SubscriptionKey(Objects.requireNonNull(pattern, "pattern"),
                normalize(group));
        writeLock.lock();
        try {
            Listener l = listeners.get(subscriber);
            if (l != null && l.subscriptions.contains(key)) {
                return ListenResult.OK;
            }
            int held = (l == null ? 0 : l.subscriptions.size()) + heldElsewhere;
            if (maxSubscriptionsPerConnection > 0 && held >= maxSubscriptionsPerConnection) {
                return ListenResult.CAP_REACHED;
            }
            if (l == null) {
                l = new Listener(subscriber);
                listeners.put(subscriber, l);
            }
            l.subscriptions.add(key);
            trie.add(key, l);
            return ListenResult.OK;
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes the (pattern, group) subscription of {@code subscriber}; a no-op if absent. */
    public void unlisten(Subscriber subscriber, String pattern, String group) {
        SubscriptionKey key = new SubscriptionKey(pattern, normalize(group));
        writeLock.lock();
        try {
            Listener l = listeners.get(subscriber);
            if (l == null || !l.subscriptions.remove(key)) {
                return;
            }
            trie.remove(key, l);
            if (l.subscriptions.isEmpty()) {
                listeners.remove(subscriber);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Disconnect cleanup (§9.11): drops every subscription of {@code subscriber}, group
     * memberships included. Costs O(its subscriptions × pattern depth), independent of the others.
     */
    public void removeAll(Subscriber subscriber) {
        writeLock.lock();
        try {
            Listener l = listeners.remove(subscriber);
            if (l == null) {
                return;
            }
            for (SubscriptionKey key : l.subscriptions) {
                trie.remove(key, l);
            }
            l.subscriptions.clear();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Publishes {@code payload} on the literal {@code channel}: the frame
     * {@code sig <channel> <payload>\n} is encoded once and offered to every receiver chosen by the
     * algorithm of §9.6. Full receivers are evicted (§9.9). Never blocks and takes no lock.
     *
     * @return the delivered count: each ungrouped connection and each group that queued a copy
     *     counts one
     */
    public int publish(String channel, String payload) {
        Matches matches = trie.match(channel);
        Fanout fanout = new Fanout(channel, payload);
        int delivered = fanout.deliver(matches);
        events.published(delivered, fanout.dropped(), fanout.evicted());
        return delivered;
    }

    /** How many subscriptions {@code subscriber} holds (what the cap is compared with). */
    public int subscriptionCount(Subscriber subscriber) {
        writeLock.lock();
        try {
            Listener l = listeners.get(subscriber);
            return l == null ? 0 : l.subscriptions.size();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The {@code signal_channels} entries of {@code stats} (§10): one per exact channel and per
     * wildcard pattern with ungrouped listeners, and one per (pattern, group). Order unspecified.
     */
    public List<ChannelStat> stats() {
        List<ChannelStat> out = new ArrayList<>();
        writeLock.lock();
        try {
            trie.stats(out);
        } finally {
            writeLock.unlock();
        }
        return out;
    }

    /** Trie nodes currently allocated; for tests that check pruning. */
    int nodeCount() {
        writeLock.lock();
        try {
            return trie.nodeCount();
        } finally {
            writeLock.unlock();
        }
    }

    /** Connections holding at least one subscription; for tests that check cleanup. */
    int connectionCount() {
        writeLock.lock();
        try {
            return listeners.size();
        } finally {
            writeLock.unlock();
        }
    }

    private static String normalize(String group) {
        return group == null ? "" : group;
    }
}
