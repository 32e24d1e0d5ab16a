package io.dflockd.server.http;

/**
 * One route's handler. It answers through {@link HttpExchange#respond} exactly once, now or later
 * from another thread (a long-poll), and must not block the event loop it is called on.
 */
@FunctionalInterface
public interface HttpHandler {
    void handle(HttpExchange exchange);
}
