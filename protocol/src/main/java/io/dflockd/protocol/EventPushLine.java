package io.dflockd.protocol;

/** The shared shape of the {@code <prefix><event> <key>} push lines ({@link LeaderFrame}, {@link WatchFrame}). */
final class EventPushLine {
    private EventPushLine() {
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
