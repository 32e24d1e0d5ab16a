package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The queue of the key is full ({@code error_max_waiters}); nothing was queued.
 */
public class MaxWaitersException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public MaxWaitersException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public MaxWaitersException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
