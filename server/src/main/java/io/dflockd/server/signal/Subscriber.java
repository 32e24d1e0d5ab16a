package io.dflockd.server.signal;

/**
 * One client connection as seen by the {@link SignalRouter}. The network layer implements it; the
 * router only ever queues frames and asks for evictions.
 *
 * <p>The router compares subscribers by identity (an implementation's {@code equals} is never
 * consulted), so one instance must represent one connection for its whole life.
 */
public interface Subscriber {

    /** The connection id, for logging and diagnostics. */
    long connectionId();

    /**
     * Tries to queue one push frame ({@code sig <channel> <payload>\n}) for sending. Must never
     * block: it is called from the publisher's event-loop thread, concurrently with other
     * publishers.
     *
     * @param frame the complete frame; the same array is shared by every receiver of a signal, so
     *     it must not be modified
     * @return {@code false} when the connection's bounded pending queue (64 frames, PROTOCOL.md
     *     §9.9) is full and the frame was not queued
     */
    boolean offer(byte[] frame);

    /**
     * Asks for the connection to be closed because it is a slow consumer (PROTOCOL.md §9.9). Must
     * close asynchronously and must tolerate being called more than once (concurrent publishers
     * may each find the queue full before the close lands). Closing eventually leads the caller to
     * {@link SignalRouter#removeAll(Subscriber)}.
     */
    void evict(String reason);
}
