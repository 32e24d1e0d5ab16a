package io.dflockd.client;

import io.dflockd.protocol.LeaderFrame;
import java.util.Objects;

/**
 * A change of a key's leadership, pushed to a connection that observes the key (PROTOCOL.md §7.12,
 * §9.13): {@link SignalConn#observe(String)}, {@link AsyncSignalConn#observe(String)},
 * {@link LeaderElection#observe()}.
 *
 * @param key the observed key (the election's name)
 * @param kind what happened
 */
public record LeaderEvent(String key, Kind kind) {
    /** What happened to the key's leadership. */
    public enum Kind {
        /** A candidate was granted the free key at once; also sent once when observing a key that has a leader. */
        ELECTED,
        /** The leader resigned (gave the key up by its token). */
        RESIGNED,
        /** Leadership passed to a queued candidate (after a resign, a lease that ran out, a lost connection). */
        FAILOVER,
        /** The leader's lease ran out or its connection closed and nobody was queued: the key has no leader (our extension). */
        LOST
    }

    public LeaderEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
    }

    /** The event of a push line's event, or {@code null} for a word this version does not know. */
    static LeaderEvent of(LeaderFrame.Push push) {
        LeaderFrame.Event e = push.known();
        if (e == null) {
            return null;
        }
        Kind kind = switch (e) {
            case ELECTED -> Kind.ELECTED;
            case RESIGNED -> Kind.RESIGNED;
            case FAILOVER -> Kind.FAILOVER;
            case LOST -> Kind.LOST;
        };
        return new LeaderEvent(push.key(), kind);
    }
}
