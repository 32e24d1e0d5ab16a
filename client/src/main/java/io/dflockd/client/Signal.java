package io.dflockd.client;

/**
 * A received signal.
 *
 * @param channel the literal channel it was published on (never the pattern that matched)
 * @param payload the payload, byte-for-byte as published (may contain spaces)
 */
public record Signal(String channel, String payload) {
    /**
     * End-of-stream marker put into {@link SignalConn#signals()} once the connection has closed.
     * Compare by reference: {@code sig == Signal.END}. No real signal has an empty channel.
     */
    public static final Signal END = new Signal("", "");

    /** Whether this is the {@link #END} marker. */
    public boolean isEnd() {
        return this == END;
    }
}
