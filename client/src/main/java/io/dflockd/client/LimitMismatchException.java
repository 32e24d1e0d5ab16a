package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The key already exists with a different limit ({@code error_limit_mismatch}): a semaphore
 * requested with another limit, or a lock on a key that is a semaphore (or the reverse).
 */
public class LimitMismatchException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public LimitMismatchException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public LimitMismatchException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
