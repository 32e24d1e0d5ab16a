package io.dflockd.server.signal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One queue group, identified by (pattern, name) — the pattern is implied by the trie node that
 * owns it (PROTOCOL.md §9.7). Members are kept in join order in a copy-on-write array so a
 * publisher reads a consistent snapshot without locking; groups are small (a handful of workers),
 * so copying on join/leave is cheap. The round-robin counter is shared by all publishers.
 */
final class QueueGroup {
    private static final Listener[] NONE = new Listener[0];

    final String name;
    private final AtomicLong counter = new AtomicLong();
    /** Written only under the router's write lock; read lock-free by publishers. */
    private volatile Listener[] members = NONE;

    QueueGroup(String name) {
        this.name = name;
    }

    /** Snapshot of the members in join order; never modified after being published. */
    Listener[] members() {
        return members;
    }

    /** Takes the next round-robin start ({@code start = counter++}). */
    long nextStart() {
        return counter.getAndIncrement();
    }

    int size() {
        return members.length;
    }

    boolean isEmpty() {
        return members.length == 0;
    }

    /** Appends a member; the caller guarantees it is not already a member. Writer only. */
    void add(Listener listener) {
        members = CopyOnWrite.append(members, listener, Listener[]::new);
    }

    /** Removes a member, keeping the others in join order. Writer only. */
    boolean remove(Listener listener) {
        Listener[] old = members;
        Listener[] next = CopyOnWrite.remove(old, listener, Listener[]::new);
        members = next == null ? NONE : next;
        return next != old;
    }
}
