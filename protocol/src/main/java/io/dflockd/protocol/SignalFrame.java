package io.dflockd.protocol;

/**
 * The push line {@code sig <channel> <payload>} (PROTOCOL.md §9.8). The channel is the text between
 * {@code "sig "} and the next space; the payload is everything after it, spaces included.
 */
public final class SignalFrame {
    /** Every push line starts with this prefix; no command reply does. */
    public static final String PREFIX = "sig ";

    private SignalFrame() {
    }

    /** True when a received line is a push rather than a reply. */
    public static boolean isPush(String line) {
        return line.startsWith(PREFIX);
    }

    /**
     * Splits a push line into channel and payload.
     *
     * @return {@code {channel, payload}}
     * @throws IllegalArgumentException when the line is not a well-formed push
     */
    public static String[] parse(String line) {
        if (!isPush(line)) {
            throw new IllegalArgumentException("not a signal push line");
        }
        int space = line.indexOf(' ', PREFIX.length());
        if (space < 0) {
            throw new IllegalArgumentException("signal push line without payload");
        }
        return new String[] {line.substring(PREFIX.length(), space), line.substring(space + 1)};
    }
}
