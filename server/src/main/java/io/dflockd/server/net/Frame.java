package io.dflockd.server.net;

import io.dflockd.protocol.Command;

/**
 * One decoded three-line request, or a framing event that ends the connection.
 *
 * @param command the command, {@code null} when line 1 named no known command
 * @param key     line 2 as a byte-exact Latin-1 string (trailing CRs removed)
 * @param arg     line 3, likewise
 * @param event   {@link Event#REQUEST} for a real request
 */
public record Frame(Command command, String key, String arg, Event event) {
    /** What the decoder produced. */
    public enum Event {
        /** A complete request. */
        REQUEST,
        /** A line exceeded its cap; the rest of it was drained (protocol error 12). */
        LINE_TOO_LONG,
        /** No complete line within the read timeout (protocol error 10). */
        READ_TIMEOUT,
        /** The peer kept sending while a blocking call was waiting (PROTOCOL.md §2.5). */
        PIPELINE_ABUSE
    }

    static final Frame LINE_TOO_LONG = new Frame(null, "", "", Event.LINE_TOO_LONG);
    static final Frame READ_TIMEOUT = new Frame(null, "", "", Event.READ_TIMEOUT);
    static final Frame PIPELINE_ABUSE = new Frame(null, "", "", Event.PIPELINE_ABUSE);
}
