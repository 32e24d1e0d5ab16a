package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The server already holds its maximum number of locks and semaphores ({@code error_max_locks}).
 */
public class MaxLocksException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public MaxLocksException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public MaxLocksException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
