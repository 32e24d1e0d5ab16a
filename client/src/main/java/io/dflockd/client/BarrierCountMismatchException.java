package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The barrier is filling with another number of parties than this call gave
 * ({@code error_barrier_count_mismatch}); this party did not arrive.
 */
public class BarrierCountMismatchException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public BarrierCountMismatchException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public BarrierCountMismatchException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
