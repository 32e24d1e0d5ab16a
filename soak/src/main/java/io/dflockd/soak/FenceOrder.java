package io.dflockd.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Invariant "fences strictly increase per server, also across restarts". A client reads the highest
 * fence any client has <em>received</em> from that server before it sends a request; the grant that
 * answers the request happened after every grant already received, so its fence must be strictly
 * higher. Fences are also never issued twice.
 */
final class FenceOrder {
    private final AtomicLongArray highest;
    private final List<Set<Long>> seen = new ArrayList<>();
    private final Verdict verdict;
    private final Metrics metrics;

    FenceOrder(int servers, Verdict verdict, Metrics metrics) {
        this.highest = new AtomicLongArray(servers);
        for (int i = 0; i < servers; i++) {
            seen.add(ConcurrentHashMap.newKeySet());
        }
        this.verdict = verdict;
        this.metrics = metrics;
    }

    /** Read before sending a request that may be granted. */
    long floor(int server) {
        return highest.get(server);
    }

    /** A grant with {@code fence} answered a request sent after {@link #floor} returned {@code floor}. */
    void granted(int server, long fence, long floor, String what) {
        metrics.inc("checks.fence");
        if (floor != 0 && Long.compareUnsigned(fence, floor) <= 0) {
            verdict.violation("fence not increasing", what + " on server#" + server + " got fence "
                    + Long.toUnsignedString(fence) + " but fence " + Long.toUnsignedString(floor)
                    + " had already been received before the request was sent");
            return;
        }
        if (!seen.get(server).add(fence)) {
            verdict.violation("fence reused", what + " on server#" + server + " got fence "
                    + Long.toUnsignedString(fence) + " a second time");
            return;
        }
        long prev;
        do {
            prev = highest.get(server);
        } while (Long.compareUnsigned(fence, prev) > 0 && !highest.compareAndSet(server, prev, fence));
    }
}
