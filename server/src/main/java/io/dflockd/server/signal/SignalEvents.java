package io.dflockd.server.signal;

/**
 * What the signal router tells an observer (the metrics, when the HTTP port is on): one call per
 * publish, on the publisher's thread, never under a router lock. Must be cheap and must not block.
 */
public interface SignalEvents {
    /** Observes nothing: the default. */
    SignalEvents NONE = new SignalEvents() {
    };

    /**
     * One publish finished.
     *
     * @param delivered copies queued (each ungrouped connection and each group counts one)
     * @param dropped   copies not queued because the receiver's queue was full (a group whose
     *                  members were all full counts one)
     * @param evicted   slow consumers this publish closed
     */
    default void published(int delivered, int dropped, int evicted) {
    }
}
