package io.dflockd.soak;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Invariant "no more than {@code limit} holders of a key are live at the same time" (for a read-write
 * lock: "a writer is live alone"; see {@link Hold#conflictsWith}). Every grant's
 * known-live interval ({@link Hold}) is kept per key; whenever one is added or extended it is checked
 * against the others: if more than {@code limit} intervals share an instant, the server granted a
 * slot twice. Intervals are conservative (they lie inside the server-side lease), so any overlap
 * found is a real double grant, never an artefact of timing.
 */
final class LiveLedger {
    private static final long RETAIN_NANOS = 120_000_000_000L;

    private final ConcurrentHashMap<String, List<Hold>> byKey = new ConcurrentHashMap<>();
    private final Incarnations incarnations;
    private final Verdict verdict;
    private final Metrics metrics;

    LiveLedger(Incarnations incarnations, Verdict verdict, Metrics metrics) {
        this.incarnations = incarnations;
        this.verdict = verdict;
        this.metrics = metrics;
    }

    /** The end of the hold's known-live interval, cut at the death of the incarnation it came through. */
    long liveUntil(Hold h) {
        List<Hold> holds = holdsOf(h.key);
        synchronized (holds) {
            return effectiveEnd(h);
        }
    }

    void register(Hold h) {
        List<Hold> holds = holdsOf(h.key);
        synchronized (holds) {
            prune(holds, System.nanoTime());
            holds.add(h);
            check(holds, h);
        }
    }

    /**
     * A renewal (or keep) sent at some time succeeded: the lease is known live until {@code newEnd}.
     * It replaces the old end even when earlier: a renewal to a shorter lease ends the lease sooner.
     */
    void extend(Hold h, long newEnd) {
        List<Hold> holds = holdsOf(h.key);
        synchronized (holds) {
            h.end = newEnd;
            check(holds, h);
        }
    }

    /** The client is about to give the slot up (release, disconnect) at {@code at}. */
    void truncate(Hold h, long at) {
        List<Hold> holds = holdsOf(h.key);
        synchronized (holds) {
            h.end = Math.min(h.end, at);
        }
    }

    private List<Hold> holdsOf(String key) {
        return byKey.computeIfAbsent(key, k -> new ArrayList<>());
    }

    private long effectiveEnd(Hold h) {
        return Math.min(h.end, incarnations.deathOf(h.endpoint, h.incarnation));
    }

    private void prune(List<Hold> holds, long now) {
        for (Iterator<Hold> it = holds.iterator(); it.hasNext(); ) {
            if (effectiveEnd(it.next()) < now - RETAIN_NANOS) {
                it.remove();
            }
        }
    }

    /** Sweeps the other intervals clipped to {@code h}'s and finds the deepest overlap. */
    private void check(List<Hold> holds, Hold h) {
        metrics.inc("checks.overlap");
        long from = h.start;
        long to = effectiveEnd(h);
        if (to <= from) {
            return;
        }
        List<long[]> events = new ArrayList<>();
        List<Hold> overlapping = new ArrayList<>();
        for (Hold o : holds) {
            if (o == h || o.server != h.server || !h.conflictsWith(o)) {
                continue;
            }
            long oFrom = Math.max(o.start, from);
            long oTo = Math.min(effectiveEnd(o), to);
            if (oFrom < oTo) {
                events.add(new long[] {oFrom, 1});
                events.add(new long[] {oTo, -1});
                overlapping.add(o);
            }
        }
        if (events.size() / 2 < h.capacity()) {
            return;
        }
        // Ends sort before starts at the same instant: intervals are half-open.
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int depth = 0;
        int max = 0;
        for (long[] e : events) {
            depth += (int) e[1];
            max = Math.max(max, depth);
        }
        if (max + 1 > h.capacity()) {
            metrics.inc("overlaps");
            verdict.violation("overlapping live holders", (max + 1) + " live holders of key " + h.key
                    + " (" + h.rule() + "): " + h + " overlaps " + overlapping);
        }
    }
}
