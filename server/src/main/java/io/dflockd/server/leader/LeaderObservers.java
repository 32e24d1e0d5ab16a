package io.dflockd.server.leader;

import io.dflockd.protocol.LeaderFrame;
import io.dflockd.server.lock.ForwardingLockEvents;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.signal.Subscriber;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Which connections observe which keys' leadership ({@code observe}, PROTOCOL.md §6.15), and the
 * {@code leader <event> <key>} pushes to them (§9.13). Netty-free: the network layer adapts a
 * connection to a {@link Subscriber}, the same one its signal subscriptions use, so both kinds of push
 * share one bounded queue and one slow-consumer rule (§9.9). Events come from the lock state: the
 * {@link LockManager} built with {@link #watching(LockEvents)} calls {@link #changed} for every grant
 * and removal of a lock someone observes, on every replica in cluster mode.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li><b>{@link #changed} takes no lock of its own.</b> It runs under the resource monitor of its key
 *       (so the pushes of one key are queued in the order the key changed) and reads the key's
 *       observers, an immutable copy-on-write array in a concurrent map. It only ever calls
 *       {@link Subscriber#offer}, which never blocks; the evictions of full subscribers are handed back
 *       to run once the monitor is released ({@link Subscriber#evict} closes a connection, and closing
 *       one runs lock cleanup).</li>
 *   <li><b>{@link #observe}, {@link #unobserve} and {@link #removeAll} are serialised by one
 *       {@link ReentrantLock}</b>, which also guards the per-connection index (what the subscription cap
 *       counts). {@code observe} publishes the new observer before it looks at the lock, then tells it
 *       of a current leader under the key's monitor, and only if no event reached it in between: so
 *       an observer never misses a change and never hears of the current leader twice.</li>
 *   <li>An event concurrent with an unobserve may still reach the connection, as for signals.</li>
 * </ul>
 */
public final class LeaderObservers {
    /** The outcome of {@link #observe}. */
    public enum Result {
        /** A new subscription. */
        OBSERVING,
        /** The connection already observed the key: nothing changed (observe is idempotent). */
        ALREADY,
        /** The connection already holds {@code --max-subscriptions} subscriptions (signals included). */
        CAP_REACHED
    }

    /** One connection observing one key. */
    private static final class Observation {
        final Subscriber subscriber;
        /** Whether an event reached it since it subscribed; written under the key's resource monitor. */
        volatile boolean told;

        Observation(Subscriber subscriber) {
            this.subscriber = subscriber;
        }
    }

    private static final Observation[] NONE = new Observation[0];

    private final int maxSubscriptionsPerConnection;
    private final ConcurrentHashMap<String, Observation[]> byKey = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guarded by {@link #writeLock}. Identity-keyed: one subscriber instance is one connection. */
    private final Map<Subscriber, Set<String>> byConnection = new IdentityHashMap<>();

    /** @param maxSubscriptionsPerConnection the {@code --max-subscriptions} cap; 0 means unlimited */
    public LeaderObservers(int maxSubscriptionsPerConnection) {
        if (maxSubscriptionsPerConnection < 0) {
            throw new IllegalArgumentException("maxSubscriptionsPerConnection must be >= 0");
        }
        this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
    }

    /**
     * The lock events to build a {@link LockManager} with: {@code base}'s, plus the leader changes of
     * observed keys, which end up in {@link #changed}.
     */
    public LockEvents watching(LockEvents base) {
        return new ForwardingLockEvents(base) {
            @Override
            public boolean watchesLeader(String key) {
                return byKey.containsKey(key);
            }

            @Override
            public Runnable leaderChanged(String key, LeaderFrame.Event event) {
                return changed(key, event);
            }
        };
    }

    /**
     * Subscribes {@code subscriber} to the leadership of {@code key}; when the key has a leader in
     * {@code locks} (this node's lock state), pushes it {@code leader elected <key>} once.
     *
     * @param heldElsewhere the connection's other subscriptions (its signal {@code listen}s), which
     *                      count against the same cap
     */
    public Result observe(Subscriber subscriber, String key, int heldElsewhere, LockManager locks) {
        Objects.requireNonNull(subscriber, "subscriber");
        Observation o;
        writeLock.lock();
        try {
            Set<String> keys = byConnection.get(subscriber);
            if (keys != null && keys.contains(key)) {
                return Result.ALREADY;
            }
            int held = (keys == null ? 0 : keys.size()) + heldElsewhere;
            if (maxSubscriptionsPerConnection > 0 && held >= maxSubscriptionsPerConnection) {
                return Result.CAP_REACHED;
            }
            if (keys == null) {
                keys = new HashSet<>(4);
                byConnection.put(subscriber, keys);
            }
            keys.add(key);
            o = new Observation(subscriber);
            Observation add = o;
            byKey.compute(key, (k, old) -> append(old, add));
        } finally {
            writeLock.unlock();
        }
        boolean[] full = {false};
        locks.whileLeaderHeld(key, () -> {
            if (!o.told) {
                o.told = true;
                full[0] = !subscriber.offer(LeaderFrame.encode(LeaderFrame.Event.ELECTED, key));
            }
        });
        if (full[0]) {
            subscriber.evict("leader push queue full");
        }
        return Result.OBSERVING;
    }

    /** Drops the subscription of {@code subscriber} to {@code key}; a no-op if absent. */
    public void unobserve(Subscriber subscriber, String key) {
        drop(subscriber, keys -> keys.remove(key) ? List.of(key) : List.of());
    }

    /** Disconnect cleanup: drops every leader subscription of {@code subscriber}. */
    public void removeAll(Subscriber subscriber) {
        drop(subscriber, keys -> {
            List<String> all = new ArrayList<>(keys);
            keys.clear();
            return all;
        });
    }

    /** Takes out of {@code subscriber}'s keys those {@code which} removes from them, and their observations. */
    private void drop(Subscriber subscriber, Function<Set<String>, List<String>> which) {
        writeLock.lock();
        try {
            Set<String> keys = byConnection.get(subscriber);
            if (keys == null) {
                return;
            }
            for (String key : which.apply(keys)) {
                byKey.computeIfPresent(key, (k, old) -> without(old, subscriber));
            }
            if (keys.isEmpty()) {
                byConnection.remove(subscriber);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** How many keys {@code subscriber} observes (what counts against the cap, with its listens). */
    public int subscriptionCount(Subscriber subscriber) {
        writeLock.lock();
        try {
            Set<String> keys = byConnection.get(subscriber);
            return keys == null ? 0 : keys.size();
        } finally {
            writeLock.unlock();
        }
    }

    /** Whether some connection observes {@code key}. Lock-free. */
    public boolean observed(String key) {
        return byKey.containsKey(key);
    }

    /**
     * Pushes {@code leader <event> <key>} to every observer of {@code key}. Called by the lock manager
     * under the key's resource monitor (see the class comment); never blocks.
     *
     * @return the evictions of the observers whose queue was full, to run once the monitor is released;
     *     {@code null} when there are none
     */
    Runnable changed(String key, LeaderFrame.Event event) {
        Observation[] observers = byKey.getOrDefault(key, NONE);
        if (observers.length == 0) {
            return null;
        }
        byte[] frame = LeaderFrame.encode(event, key);
        List<Subscriber> full = null;
        for (Observation o : observers) {
            o.told = true;
            if (!o.subscriber.offer(frame)) {
                if (full == null) {
                    full = new ArrayList<>(1);
                }
                full.add(o.subscriber);
            }
        }
        if (full == null) {
            return null;
        }
        List<Subscriber> evict = full;
        return () -> evict.forEach(s -> s.evict("leader push queue full"));
    }

    private static Observation[] append(Observation[] old, Observation o) {
        if (old == null) {
            return new Observation[] {o};
        }
        Observation[] next = java.util.Arrays.copyOf(old, old.length + 1);
        next[old.length] = o;
        return next;
    }

    /** {@code old} without the observation of {@code s}; {@code null} (the key is dropped) when none is left. */
    private static Observation[] without(Observation[] old, Subscriber s) {
        int n = 0;
        Observation[] next = new Observation[old.length];
        for (Observation o : old) {
            if (o.subscriber != s) {
                next[n++] = o;
            }
        }
        return n == 0 ? null : java.util.Arrays.copyOf(next, n);
    }
}
