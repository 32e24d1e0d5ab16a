package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The server is shutting down and refuses new commands ({@code error_draining}).
 */
public class DrainingException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public DrainingException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public DrainingException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
