package io.dflockd.server.data;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code --max-keys} count (PROTOCOL.md §12.2): counters, entries, lists and barriers together.
 * Shared by namespaces that each have their own monitor, so the count is atomic.
 */
final class KeyBudget {
    private final int max;
    private final AtomicInteger used = new AtomicInteger();

    /** @param max the cap, 0 = unlimited */
    KeyBudget(int max) {
        this.max = max;
    }

    /** Takes a slot for a new key; false (nothing taken) when the cap is reached. */
    boolean tryTake() {
        while (true) {
            int n = used.get();
            if (max > 0 && n >= max) {
                return false;
            }
            if (used.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Counts a key read from a snapshot, whatever the cap (it may have been lowered since). */
    void restored() {
        used.incrementAndGet();
    }

    /** Gives back the slot of a removed key. */
    void release() {
        used.decrementAndGet();
    }

    /** Keys that exist now. */
    int used() {
        return used.get();
    }
}
