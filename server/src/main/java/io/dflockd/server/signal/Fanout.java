package io.dflockd.server.signal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
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
    private int dropped;
    /**
     * Connections already offered an ungrouped copy; only kept when lists can overlap. Keyed by
     * subscriber identity, not by {@link Listener}: a connection that drops its last subscription
     * and listens again gets a new handle, and a concurrent publish may see both.
     */
    private Set<Subscriber> seen;
    /** Connections to evict, once each, after delivery has finished. */
    private List<Subscriber> evictions;

    Fanout(String channel, String payload) {
        this.channel = channel;
        this.payload = payload;
    }

    /** Delivers and returns the number of copies queued (each group counts one). */
    int deliver(Matches m) {
        if (m.needsDedup()) {
            seen = Collections.newSetFromMap(new IdentityHashMap<>());
        }
        ungrouped(m.exactPlain);
        groups(m.exactGroups);
        if (m.wildPlain != null) {
            for (Listener[] plain : m.wildPlain) {
                ungrouped(plain);
            }
        }
        if (m.wildGroups != null) {
            for (QueueGroup[] groups : m.wildGroups) {
                groups(groups);
            }
        }
        if (evictions != null) {
            // Deferred so that eviction callbacks (which may re-enter the router through
            // removeAll) never run in the middle of a walk.
            for (Subscriber s : evictions) {
                s.evict(SLOW_CONSUMER);
            }
        }
        return delivered;
    }

    private void ungrouped(Listener[] plain) {
        if (plain == null) {
            return;
        }
        for (Listener l : plain) {
            // A connection gets at most one ungrouped attempt, even if that attempt failed:
            // offering again to a full queue could only fail again.
            Subscriber s = l.subscriber;
            if (seen != null && !seen.add(s)) {
                continue;
            }
            if (s.offer(frame())) {
                delivered++;
            } else {
                dropped++;
                evict(s);
            }
        }
    }

    private void groups(QueueGroup[] groups) {
        if (groups == null) {
            return;
        }
        for (QueueGroup g : groups) {
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
        dropped++;
        evict(members[first].subscriber);
    }

    /** Copies not queued because the receiver was full; valid after {@link #deliver}. */
    int dropped() {
        return dropped;
    }

    /** Slow consumers evicted; valid after {@link #deliver}. */
    int evicted() {
        return evictions == null ? 0 : evictions.size();
    }

    private void evict(Subscriber s) {
        if (evictions == null) {
            evictions = new ArrayList<>(2);
        }
        for (Subscriber e : evictions) {
            if (e == s) {
                return; // identity, never equals(): see Subscriber
            }
        }
        evictions.add(s);
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
