package io.dflockd.client;

import io.dflockd.protocol.WatchFrame;
import java.util.Objects;

/**
 * A change of a watched key, pushed to a connection that watches a matching pattern (PROTOCOL.md
 * §6.19, §9.14): {@link SignalConn#watch(String)}, {@link AsyncSignalConn#watch(String)}.
 *
 * @param type the event word as the server sent it: the command that changed the key ({@code kset},
 *     {@code incr}, {@code rpush}, …) or {@code acquire} / {@code release} / {@code elect} /
 *     {@code resign} for locks; a later server may send words this version does not know
 * @param key the key that changed
 */
public record WatchEvent(String type, String key) {
    public WatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
    }

    /** The event, or {@code null} for a word this version does not know. */
    public WatchFrame.Event known() {
        return WatchFrame.Event.of(type);
    }

    static WatchEvent of(WatchFrame.Push push) {
        return new WatchEvent(push.event(), push.key());
    }
}
