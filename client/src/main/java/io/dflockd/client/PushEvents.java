package io.dflockd.client;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Where a signal connection's reader hands one kind of push event ({@code leader} pushes of observed
 * keys, {@code watch} pushes of watched patterns): the listener (on the reader thread, in order) and
 * the publisher (on the library's workers, a buffer per subscriber; a full buffer drops and counts, so
 * the reader never stalls, PROTOCOL.md §9.9).
 */
final class PushEvents<E> {
    private final InetSocketAddress server;
    private final String what;
    private final Consumer<E> listener;
    private final SubmissionPublisher<E> publisher;
    private final AtomicLong dropped = new AtomicLong();

    /** @param what names the events in log lines: "leader event", "watch event" */
    PushEvents(InetSocketAddress server, String what, Consumer<E> listener, int capacity) {
        this.server = server;
        this.what = what;
        this.listener = listener;
        this.publisher = new SubmissionPublisher<>(Shared.workers(), capacity);
    }

    /** On the reader thread: the listener first, then every subscriber. */
    void deliver(E event) {
        if (listener != null) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                Shared.LOG.log(Level.WARNING, what + " listener threw", e);
            }
        }
        publisher.offer(event, (subscriber, ev) -> {
            if (dropped.getAndIncrement() == 0) {
                Shared.LOG.log(Level.WARNING, "{0}: a {1} subscriber is too slow; dropping events",
                        Addresses.format(server), what);
            }
            return false;
        });
    }

    /** The connection ended: subscribers complete ({@code cause == null}, a close) or get the error. */
    void end(Throwable cause) {
        if (cause == null) {
            publisher.close();
        } else {
            publisher.closeExceptionally(cause);
        }
    }

    Flow.Publisher<E> publisher() {
        return publisher;
    }

    long dropped() {
        return dropped.get();
    }
}
