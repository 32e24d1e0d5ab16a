package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The key already exists as another type of lock ({@code error_type_mismatch}, PROTOCOL.md §6.14): a
 * read-write lock request ({@code rl wl re we}) on a key that is a lock or semaphore, or a lock or
 * semaphore request ({@code l sl e se}) on a key that is a read-write lock. Nothing changed on the
 * server; the type stays until the idle key is garbage-collected.
 */
public class TypeMismatchException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public TypeMismatchException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public TypeMismatchException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
