package io.dflockd.server.signal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delivers one signal to the containers in a {@link Matches}, in the order and with the counting
 * rules of PROTOCOL.md §9.6, §9.7 and §9.9. One instance per publish; not thread-safe.
 */
final class Fanout {
    static final String SLOW_CONSUMER = "slow consumer: signal queue full";

    private final String channel;
    private final String payload;
    private byte[] frame;
    private int delivered;
    /** Connections already offered an ungrouped copy; only kept when lists can overlap. */
    private Set<Listener> seen;
    /** Connections to evict, once each, after delivery has finished. */
    private List<Listener> evictions;

    Fanout(String channel, String payload) {
        this.channel = channel;
        this.payload = payload;
    }

    /** Delivers and returns the number of copies queued (each group counts one). */
    int deliver(Matches m) {
        if (m.needsDedup()) {
            seen = new HashSet<>();
        }
        ungrouped(m.exactPlain);
        groups(m.exactGroups);
        if (m.wildPlain != null) {
            for (Set<Listener> plain : m.wildPlain) {
                ungrouped(plain);
            }
        }
        if (m.wildGroups != null) {
            for (Map<String, QueueGroup> groups : m.wildGroups) {
                groups(groups);
            }
        }
        if (evictions != null) {
            // Deferred so that eviction callbacks (which may re-enter the router through
            // removeAll) never run in the middle of a walk.
            for (Listener l : evictions) {
                l.subscriber.evict(SLOW_CONSUMER);
            }
        }
        return delivered;
    }

    private void ungrouped(Set<Listener> plain) {
        if (plain == null) {
            return;
        }
        for (Listener l : plain) {
            // A connection gets at most one ungrouped attempt, even if that attempt failed:
            // offering again to a full queue could only fail again.
            if (seen != null && !seen.add(l)) {
                continue;
            }
            if (l.subscriber.offer(frame())) {
                delivered++;
            } else {
                evict(l);
            }
        }
    }

    private void groups(Map<String, QueueGroup> groups) {
        if (groups == null) {
            return;
        }
        for (QueueGroup g : groups.values()) {
            group(g);
        }
    }

    /** Round-robin with fall-through (§9.7); if every member is full the first choice goes. */
    private void group(QueueGroup g) {
        Listener[] members = g.members();
        int n = members.length;
        if (n == 0) {
            return; // emptied by a concurrent unlisten after we looked it up
        }
        int first = Math.floorMod(g.nextStart(), n);
        for (int k = 0; k < n; k++) {
            if (members[(first + k) % n].subscriber.offer(frame())) {
                delivered++;
                return;
            }
        }
        evict(members[first]);
    }

    private void evict(Listener l) {
        if (evictions == null) {
            evictions = new ArrayList<>(2);
        }
        if (!evictions.contains(l)) {
            evictions.add(l);
        }
    }

    /** The frame is built lazily, once, and the same array goes to every receiver. */
    private byte[] frame() {
        byte[] f = frame;
        if (f == null) {
            f = ("sig " + channel + ' ' + payload + '\n').getBytes(StandardCharsets.ISO_8859_1);
            frame = f;
        }
        return f;
    }
}
