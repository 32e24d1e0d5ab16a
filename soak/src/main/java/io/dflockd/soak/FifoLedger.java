package io.dflockd.soak;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Invariant "FIFO among the waiters of one key". A two-phase {@code e} answered {@code queued} puts
 * the connection in the key's queue; if A's {@code queued} reply was read before B's {@code e} was
 * sent, A is ahead of B, so when both are granted A's grant came first and carries the lower fence.
 * Only pairs from the same server incarnation are compared (a restart empties the queues).
 *
 * <p>In cluster mode {@code server} is the node the waiter's connection went through, and each entry
 * also carries its fault {@code epoch}: the count of fault instants ({@link Incarnations#faultStamp()}:
 * a node's kill and its relaunch) when its {@code e} was sent, kept only if no such instant came
 * before its grant was read. So a pair is compared only when both waiters queued through the same
 * node incarnation and no node of the cluster was killed or relaunched from the first {@code e} to the
 * last grant. (Pairs across nodes would be ordered too — the first
 * {@code queued} was committed before the second {@code e} was proposed — but are not checked.)
 * Standalone, every epoch is 0.
 */
final class FifoLedger {
    private static final int KEEP_PER_KEY = 256;

    /** A granted waiter: when its {@code e} was sent, when {@code queued} was read, its fence. */
    record Entry(String key, int server, int incarnation, long epoch, long enqueueSentAt, long queuedReadAt,
            long fence, String holder) {
    }

    private final ConcurrentHashMap<String, Deque<Entry>> byKey = new ConcurrentHashMap<>();
    private final Verdict verdict;
    private final Metrics metrics;

    FifoLedger(Verdict verdict, Metrics metrics) {
        this.verdict = verdict;
        this.metrics = metrics;
    }

    void granted(Entry b) {
        Deque<Entry> entries = byKey.computeIfAbsent(b.key(), k -> new ArrayDeque<>());
        synchronized (entries) {
            for (Entry a : entries) {
                if (a.server() != b.server() || a.incarnation() != b.incarnation() || a.epoch() != b.epoch()) {
                    continue;
                }
                if (a.queuedReadAt() < b.enqueueSentAt()) {
                    compare(a, b);
                } else if (b.queuedReadAt() < a.enqueueSentAt()) {
                    compare(b, a);
                }
            }
            entries.addLast(b);
            if (entries.size() > KEEP_PER_KEY) {
                entries.removeFirst();
            }
        }
    }

    /** {@code first} was queued before {@code second} enqueued. */
    private void compare(Entry first, Entry second) {
        metrics.inc("checks.fifo_pairs");
        if (Long.compareUnsigned(first.fence(), second.fence()) > 0) {
            verdict.violation("FIFO order", "on key " + first.key() + " " + first.holder() + " was queued before "
                    + second.holder() + " enqueued, but was granted later (fence "
                    + Long.toUnsignedString(first.fence()) + " > " + Long.toUnsignedString(second.fence()) + ")");
        }
    }
}
