package io.dflockd.protocol;

/**
 * The push line {@code leader <event> <key>} (PROTOCOL.md §9.13) that a connection observing a key
 * ({@code observe}) receives when the key's leadership changes. Like a signal push ({@link SignalFrame})
 * it can arrive between a request and its reply; no reply starts with {@link #PREFIX}.
 */
public final class LeaderFrame {
    /** Every leader push starts with this prefix; no command reply does. */
    public static final String PREFIX = "leader ";

    /** What happened to the key's leadership. */
    public enum Event implements EventPushLine.Word {
        /** A leader was granted a free key at once (nobody was queued); also sent once at observe time. */
        ELECTED("elected"),
        /** The leader gave the key up with its token ({@code resign}, or {@code r}). */
        RESIGNED("resigned"),
        /** Leadership passed to a queued candidate (after a resign, a lease expiry or a disconnect). */
        FAILOVER("failover"),
        /** Our extension: the leader's lease ran out or its connection closed and nobody was queued. */
        LOST("lost");

        private final String wire;

        Event(String wire) {
            this.wire = wire;
        }

        /** The event word of the push line. */
        @Override
        public String wire() {
            return wire;
        }

        /** The event of a word; {@code null} for a word this version does not know. */
        public static Event of(String word) {
            return EventPushLine.known(Event.class, word);
        }
    }

    /** One received push: the event word as sent (a later server may send words this one does not know). */
    public record Push(String event, String key) {
        /** The event, or {@code null} when the word is unknown to this version. */
        public Event known() {
            return Event.of(event);
        }
    }

    private LeaderFrame() {
    }

    /** The push line, LF included, as Latin-1 bytes (keys are byte-exact Latin-1 on the server). */
    public static byte[] encode(Event event, String key) {
        return EventPushLine.encode(PREFIX, event, key);
    }

    /** True when a received line is a leader push rather than a reply. */
    public static boolean isPush(String line) {
        return line.startsWith(PREFIX);
    }

    /**
     * Splits a push line (without its LF) into event word and key.
     *
     * @throws IllegalArgumentException when the line is not a well-formed leader push
     */
    public static Push parse(String line) {
        String[] eventAndKey = EventPushLine.split(line, PREFIX, "leader");
        return new Push(eventAndKey[0], eventAndKey[1]);
    }
}
