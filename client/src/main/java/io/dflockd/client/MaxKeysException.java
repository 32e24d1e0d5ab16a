package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The server already holds its maximum number of counters, KV entries, lists and barriers together
 * ({@code error_max_keys}, {@code --max-keys}); nothing was created or changed.
 */
public class MaxKeysException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public MaxKeysException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public MaxKeysException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
