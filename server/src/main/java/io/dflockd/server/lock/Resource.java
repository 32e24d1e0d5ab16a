package io.dflockd.server.lock;

import java.util.HashMap;

/**
 * One key: a semaphore of {@code limit} slots (a lock is limit 1) with its holders and FIFO queue.
 * Every field is guarded by this object's monitor; each operation locks exactly one resource, so
 * different keys never contend.
 */
final class Resource {
    final String key;
    final int limit;
    final HashMap<String, Holder> holders = new HashMap<>(4);
    private Waiter head;
    private Waiter tail;
    int queued;
    long lastActivity;
    /** Set by the collector when this resource left the map; operations that see it start over. */
    boolean removed;

    Resource(String key, int limit, long now) {
        this.key = key;
        this.limit = limit;
        this.lastActivity = now;
    }

    boolean hasFreeSlot() {
        return holders.size() < limit;
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
