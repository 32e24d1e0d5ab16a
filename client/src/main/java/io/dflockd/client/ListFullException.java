package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The list already holds the server's maximum number of items ({@code error_list_full},
 * {@code --max-list-length}); the item was not added.
 */
public class ListFullException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public ListFullException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public ListFullException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
