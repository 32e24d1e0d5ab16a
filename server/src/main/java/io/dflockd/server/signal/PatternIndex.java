package io.dflockd.server.signal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ungrouped pattern subscriptions of connections, matched against literal subjects by the same trie
 * and pattern syntax as signals (PROTOCOL.md §9.5: {@code *} one token, {@code >} the rest). For pushes
 * other than signals that need only "which connections match this subject" (key watches, §6.19),
 * without queue groups or delivery rules.
 *
 * <p>Concurrency: as in {@link SignalRouter}, {@link #matching} takes no lock and sees every pattern as
 * an exact snapshot; the mutators and {@link #count}/{@link #stats} must be serialised by the caller
 * (one writer at a time), which owns the lock.
 */
public final class PatternIndex {
    private final SubjectTrie trie = new SubjectTrie();
    /** Writer only. Identity-keyed: one subscriber instance is one connection. */
    private final Map<Subscriber, Listener> listeners = new IdentityHashMap<>();

    /** Subscribes {@code subscriber} to the valid {@code pattern}; false when it already was. Writer only. */
    public boolean add(Subscriber subscriber, String pattern) {
        SubscriptionKey key = new SubscriptionKey(pattern, "");
        Listener l = listeners.computeIfAbsent(subscriber, Listener::new);
        if (!l.subscriptions.add(key)) {
            return false;
        }
        trie.add(key, l);
        return true;
    }

    /** Whether {@code subscriber} subscribed to {@code pattern}. Writer only. */
    public boolean contains(Subscriber subscriber, String pattern) {
        Listener l = listeners.get(subscriber);
        return l != null && l.subscriptions.contains(new SubscriptionKey(pattern, ""));
    }

    /** Drops the subscription of {@code subscriber} to {@code pattern}; false when it had none. Writer only. */
    public boolean remove(Subscriber subscriber, String pattern) {
        SubscriptionKey key = new SubscriptionKey(pattern, "");
        Listener l = listeners.get(subscriber);
        if (l == null || !l.subscriptions.remove(key)) {
            return false;
        }
        trie.remove(key, l);
        if (l.subscriptions.isEmpty()) {
            listeners.remove(subscriber);
        }
        return true;
    }

    /** Drops every subscription of {@code subscriber}; returns how many there were. Writer only. */
    public int removeAll(Subscriber subscriber) {
        Listener l = listeners.remove(subscriber);
        if (l == null) {
            return 0;
        }
        for (SubscriptionKey key : l.subscriptions) {
            trie.remove(key, l);
        }
        int n = l.subscriptions.size();
        l.subscriptions.clear();
        return n;
    }

    /** How many patterns {@code subscriber} holds. Writer only. */
    public int count(Subscriber subscriber) {
        Listener l = listeners.get(subscriber);
        return l == null ? 0 : l.subscriptions.size();
    }

    /** One entry per pattern with its subscribers (the group is always {@code null}). Writer only. */
    public List<ChannelStat> stats() {
        List<ChannelStat> out = new ArrayList<>();
        trie.stats(out);
        return out;
    }

    /**
     * The connections with at least one pattern matching the literal {@code subject}, each once:
     * those of the exact pattern first, then those of wildcard patterns. Lock-free.
     */
    public List<Subscriber> matching(String subject) {
        Matches m = trie.match(subject);
        List<Subscriber> out = new ArrayList<>();
        // Keyed by subscriber, not listener: a connection that drops its last pattern and subscribes
        // again gets a new listener, and a concurrent match may see both.
        Set<Subscriber> seen = m.needsDedup() ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
        addAll(m.exactPlain, seen, out);
        if (m.wildPlain != null) {
            for (Listener[] plain : m.wildPlain) {
                addAll(plain, seen, out);
            }
        }
        return out;
    }

    private static void addAll(Listener[] plain, Set<Subscriber> seen, List<Subscriber> out) {
        if (plain == null) {
            return;
        }
        for (Listener l : plain) {
            if (seen == null || seen.add(l.subscriber)) {
                out.add(l.subscriber);
            }
        }
    }
}
