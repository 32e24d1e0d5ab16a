package io.dflockd.server.signal;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The router's handle for one {@link Subscriber}. The trie stores these rather than subscribers so
 * that membership and de-duplication use identity, whatever the subscriber's {@code equals} does.
 * It also indexes the connection's subscriptions so disconnect cleanup never scans the trie.
 */
final class Listener {
    final Subscriber subscriber;

    /** Guarded by the router's write lock; insertion order only makes iteration predictable. */
    final Set<SubscriptionKey> subscriptions = new LinkedHashSet<>();

    Listener(Subscriber subscriber) {
        this.subscriber = subscriber;
    }
}
