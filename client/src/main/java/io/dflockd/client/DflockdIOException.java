package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * A network failure: connect refused or timed out, TLS handshake failure, connection reset or closed
 * by the server during a call. The message starts with the server address, e.g.
 * {@code "127.0.0.1:6388: connection refused"}. The connection is closed and nothing is held.
 */
public class DflockdIOException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public DflockdIOException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public DflockdIOException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
