package io.dflockd.protocol;

/**
 * The push line {@code watch <event> <key>} (PROTOCOL.md §9.14) that a connection watching a pattern
 * ({@code watch}) receives when a matching key changes. Like a signal push ({@link SignalFrame}) it can
 * arrive between a request and its reply; no reply starts with {@link #PREFIX}.
 */
public final class WatchFrame {
    /** Every watch push starts with this prefix; no command reply does. */
    public static final String PREFIX = "watch ";

    /** What changed; the word is the command that changed the key, as upstream sends it. */
    public enum Event implements EventPushLine.Word {
        /** A lock, semaphore or read-write lock slot was granted (at once or to a waiter). */
        ACQUIRE("acquire"),
        /** A slot was given up: released, its lease ran out, or its connection closed. */
        RELEASE("release"),
        INCR("incr"),
        DECR("decr"),
        CSET("cset"),
        KSET("kset"),
        KDEL("kdel"),
        KCAS("kcas"),
        LPUSH("lpush"),
        RPUSH("rpush"),
        LPOP("lpop"),
        RPOP("rpop"),
        BLPOP("blpop"),
        BRPOP("brpop"),
        /** An {@code elect} was granted: a new leader. */
        ELECT("elect"),
        /** A leader gave its term up with {@code resign}. */
        RESIGN("resign");

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

    private WatchFrame() {
    }

    /** The push line, LF included, as Latin-1 bytes (keys are byte-exact Latin-1 on the server). */
    public static byte[] encode(Event event, String key) {
        return EventPushLine.encode(PREFIX, event, key);
    }

    /** True when a received line is a watch push rather than a reply. */
    public static boolean isPush(String line) {
        return line.startsWith(PREFIX);
    }

    /**
     * Splits a push line (without its LF) into event word and key.
     *
     * @throws IllegalArgumentException when the line is not a well-formed watch push
     */
    public static Push parse(String line) {
        String[] eventAndKey = EventPushLine.split(line, PREFIX, "watch");
        return new Push(eventAndKey[0], eventAndKey[1]);
    }
}
