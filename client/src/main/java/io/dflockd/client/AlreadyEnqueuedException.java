package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * An enqueue was sent for a key this connection has already enqueued ({@code error_already_enqueued}).
 */
public class AlreadyEnqueuedException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public AlreadyEnqueuedException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public AlreadyEnqueuedException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
