package io.dflockd.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every grant of the run, per key, for the offline {@link HistoryChecker}: the {@link Hold} (whose
 * known-live end keeps moving with renewals, releases and lost replies until the run ends) and when
 * the request that it answered was sent. Operations whose reply was lost are not recorded: for the
 * checker they are grants that may or may not have happened, and leaving them out only removes
 * holders, so it can hide a violation but never invent one.
 */
final class KeyHistories {
    /** A grant and the send time of the request it answered (its invocation; its return is {@code hold.start}). */
    record Grant(Hold hold, long invokedAt) {
    }

    private final ConcurrentHashMap<String, List<Grant>> byKey = new ConcurrentHashMap<>();

    void granted(Hold hold, long invokedAt) {
        List<Grant> grants = byKey.computeIfAbsent(hold.key, k -> new ArrayList<>());
        synchronized (grants) {
            grants.add(new Grant(hold, invokedAt));
        }
    }

    /** A copy per key, sorted by key; call after every client has stopped. */
    Map<String, List<Grant>> snapshot() {
        Map<String, List<Grant>> out = new TreeMap<>();
        byKey.forEach((k, v) -> {
            synchronized (v) {
                out.put(k, new ArrayList<>(v));
            }
        });
        return out;
    }
}
