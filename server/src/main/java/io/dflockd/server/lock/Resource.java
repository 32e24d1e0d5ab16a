package io.dflockd.server.lock;

import java.util.HashMap;

/**
 * One key: a semaphore of {@code limit} slots (a lock is limit 1), or a read-write lock (PROTOCOL.md
 * §7.11: limit 0, many readers or one writer), with its holders and FIFO queue. Every field is
 * guarded by this object's monitor; each operation locks exactly one resource, so different keys
 * never contend.
 */
final class Resource {
    /** The limit of a read-write lock key: it has none (many readers or one writer). */
    static final int READ_WRITE = 0;

    final String key;
    /** The semaphore limit; {@link #READ_WRITE} for a read-write lock. */
    final int limit;
    /** A read-write lock key (rl, wl, re, we), rather than a lock or semaphore key. */
    final boolean readWrite;
    final HashMap<String, Holder> holders = new HashMap<>(4);
    private Waiter head;
    private Waiter tail;
    int queued;
    long lastActivity;
    /** Set by the collector when this resource left the map; operations that see it start over. */
    boolean removed;

    Resource(String key, int limit, boolean readWrite, long now) {
        this.key = key;
        this.limit = limit;
        this.readWrite = readWrite;
        this.lastActivity = now;
    }

    /**
     * Whether a request could be granted next to the current holders: a free slot of a lock or
     * semaphore; on a read-write lock, for a writer nobody holding, for a reader no writer holding.
     */
    boolean admits(boolean writer) {
        if (!readWrite) {
            return holders.size() < limit;
        }
        if (holders.isEmpty()) {
            return true;
        }
        // A writer holds alone, so one holder tells whether a writer holds.
        return !writer && !holders.values().iterator().next().writer;
    }

    boolean isIdle() {
        return holders.isEmpty() && queued == 0;
    }

    Waiter head() {
        return head;
    }

    void append(Waiter w) {
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        queued++;
    }

    void unlink(Waiter w) {
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        queued--;
    }
}
