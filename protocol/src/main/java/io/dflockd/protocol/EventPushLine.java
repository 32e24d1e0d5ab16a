package io.dflockd.protocol;

import java.nio.charset.StandardCharsets;

/** The shared shape of the {@code <prefix><event> <key>} push lines ({@link LeaderFrame}, {@link WatchFrame}). */
final class EventPushLine {
    /** An event of a push line: its word on the wire. */
    interface Word {
        String wire();
    }

    private EventPushLine() {
    }

    /** The push line, LF included, as Latin-1 bytes (keys are byte-exact Latin-1 on the server). */
    static byte[] encode(String prefix, Word event, String key) {
        return (prefix + event.wire() + ' ' + key + '\n').getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The event of {@code type} whose word is {@code word}; {@code null} for a word this version does not know. */
    static <E extends Enum<E> & Word> E known(Class<E> type, String word) {
        for (E e : type.getEnumConstants()) {
            if (e.wire().equals(word)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Splits a push line (without its LF) into event word and key.
     *
     * @param kind the push's name for error messages ({@code "leader"}, {@code "watch"})
     * @return {@code {event, key}}
     * @throws IllegalArgumentException when the line is not a well-formed push of this prefix
     */
    static String[] split(String line, String prefix, String kind) {
        if (!line.startsWith(prefix)) {
            throw new IllegalArgumentException("not a " + kind + " push line");
        }
        int space = line.indexOf(' ', prefix.length());
        if (space <= prefix.length() || space == line.length() - 1) {
            throw new IllegalArgumentException(kind + " push line without event or key");
        }
        String key = line.substring(space + 1);
        if (key.indexOf(' ') >= 0) {
            throw new IllegalArgumentException(kind + " push key with a space");
        }
        return new String[] {line.substring(prefix.length(), space), key};
    }
}
