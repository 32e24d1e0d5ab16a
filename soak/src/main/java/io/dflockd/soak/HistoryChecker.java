package io.dflockd.soak;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Checks each key's history of grants against the sequential model of a semaphore of limit n (a lock:
 * n = 1), or of a read-write lock (any readers or one writer), with leases (CLUSTER-DESIGN.md §5.3, RELIABILITY.md "The per-key history checker").
 *
 * <p>A general linearizability check (Wing–Gong) searches for an order of the operations that the
 * model accepts. Here the service names the order itself: every grant carries a fence, drawn from one
 * counter in the order the grants are applied, so the grants of a key linearize in fence order and
 * there is one candidate order to check, not a search. What stays uncertain is when a hold ends; the
 * checker takes the earliest end its client can be sure of (its known-live end: the request's send
 * time plus the lease minus the safety margin, moved by acknowledged renewals, cut at a release's send,
 * and for a renewal whose reply was lost, the shorter of the two leases). The model then demands:
 *
 * <ol>
 *   <li>tokens and fences are never reused on a key;</li>
 *   <li>real-time order: a grant received before another's request was sent has the lower fence;</li>
 *   <li>capacity: when grant B happens (no later than its reply was read), at most n − 1 grants with a
 *       lower fence are still certainly held, i.e. have a known-live end after B's reply was read; on a
 *       read-write lock none that conflicts (a writer, or anything if B writes).</li>
 * </ol>
 *
 * Every bound errs towards fewer holders and later grants, so a reported violation is real; the price
 * is that a double grant hidden inside those margins is not seen. The capacity rule compares each
 * grant with the {@value #WINDOW} grants before it in fence order.
 */
final class HistoryChecker {
    static final int WINDOW = 256;

    private HistoryChecker() {
    }

    /** Checks every key's history after the run (every client stopped); the first violation goes to {@code verdict}. */
    static void checkAll(KeyHistories histories, LiveLedger ledger, Verdict verdict, Metrics metrics, long origin) {
        histories.snapshot().forEach((key, history) -> {
            metrics.inc("checks.history_keys");
            metrics.add("checks.history_grants", history.size());
            String violation = check(key, history, ledger::liveUntil, origin);
            if (violation != null) {
                verdict.violation("history", violation);
            }
        });
    }

    /**
     * The first violation in the history of {@code key}, with the grants involved, or {@code null};
     * {@code liveUntil} gives a hold's known-live end and {@code origin} is the run's start (times are
     * printed relative to it).
     */
    static String check(String key, List<KeyHistories.Grant> history, ToLongFunction<Hold> liveUntil, long origin) {
        List<KeyHistories.Grant> byFence = new ArrayList<>(history);
        byFence.sort(Comparator.comparing(g -> g.hold().fence, Long::compareUnsigned));
        String reused = reuse(key, byFence);
        if (reused != null) {
            return reused;
        }
        String order = realTimeOrder(key, byFence, origin);
        return order != null ? order : capacity(key, byFence, liveUntil, origin);
    }

    private static String reuse(String key, List<KeyHistories.Grant> byFence) {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < byFence.size(); i++) {
            Hold h = byFence.get(i).hold();
            if (i > 0 && byFence.get(i - 1).hold().fence == h.fence) {
                return "fence " + Long.toUnsignedString(h.fence) + " granted twice on key " + key;
            }
            if (!tokens.add(h.token)) {
                return "token " + h.token + " granted twice on key " + key;
            }
        }
        return null;
    }

    /** Walks down the fences, keeping the earliest reply read among the higher ones. */
    private static String realTimeOrder(String key, List<KeyHistories.Grant> byFence, long origin) {
        KeyHistories.Grant earliestAbove = null;
        for (int i = byFence.size() - 1; i >= 0; i--) {
            KeyHistories.Grant b = byFence.get(i);
            if (earliestAbove != null && earliestAbove.hold().start - b.invokedAt() < 0) {
                return "on key " + key + " " + describe(earliestAbove, origin) + " was received before "
                        + describe(b, origin) + " was requested, yet has the higher fence";
            }
            if (earliestAbove == null || b.hold().start - earliestAbove.hold().start < 0) {
                earliestAbove = b;
            }
        }
        return null;
    }

    private static String capacity(String key, List<KeyHistories.Grant> byFence, ToLongFunction<Hold> liveUntil,
            long origin) {
        for (int i = 0; i < byFence.size(); i++) {
            KeyHistories.Grant b = byFence.get(i);
            long grantedBy = b.hold().start;
            List<KeyHistories.Grant> held = new ArrayList<>();
            for (int j = Math.max(0, i - WINDOW); j < i; j++) {
                KeyHistories.Grant a = byFence.get(j);
                if (b.hold().conflictsWith(a.hold()) && liveUntil.applyAsLong(a.hold()) - grantedBy > 0) {
                    held.add(a);
                }
            }
            if (held.size() >= b.hold().capacity()) {
                StringBuilder s = new StringBuilder("on key " + key + " (" + b.hold().rule() + ") "
                        + describe(b, origin) + " while " + held.size() + " earlier grant(s) were certainly held:");
                for (KeyHistories.Grant a : held) {
                    s.append(' ').append(describe(a, origin)).append(String.format(" live until %.3f s;",
                            (liveUntil.applyAsLong(a.hold()) - origin) / 1e9));
                }
                return s.toString();
            }
        }
        return null;
    }

    private static String describe(KeyHistories.Grant g, long origin) {
        return String.format("[%s requested %.3f s, granted %.3f s]", g.hold(), (g.invokedAt() - origin) / 1e9,
                (g.hold().start - origin) / 1e9);
    }
}
