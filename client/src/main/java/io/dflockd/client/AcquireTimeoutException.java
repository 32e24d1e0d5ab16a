package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The lock or semaphore was not granted within the acquire timeout (reply {@code timeout}). Thrown by
 * the try-with-resources helpers and the low-level calls; the high-level {@code acquire()} methods
 * return {@code false} instead.
 */
public class AcquireTimeoutException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public AcquireTimeoutException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public AcquireTimeoutException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
