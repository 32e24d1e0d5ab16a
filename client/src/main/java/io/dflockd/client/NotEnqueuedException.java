package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * A wait was sent for a key this connection has not enqueued ({@code error_not_enqueued}).
 */
public class NotEnqueuedException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public NotEnqueuedException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public NotEnqueuedException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
