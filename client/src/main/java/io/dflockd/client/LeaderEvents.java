package io.dflockd.client;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Where a signal connection's reader hands the {@code leader} pushes of observed keys: the listener
 * (on the reader thread, in order) and the publisher (on the library's workers, a buffer per
 * subscriber; a full buffer drops and counts, so the reader never stalls, PROTOCOL.md §9.9).
 */
final class LeaderEvents {
    private final InetSocketAddress server;
    private final Consumer<LeaderEvent> listener;
    private final SubmissionPublisher<LeaderEvent> publisher;
    private final AtomicLong dropped = new AtomicLong();

    LeaderEvents(InetSocketAddress server, Consumer<LeaderEvent> listener, int capacity) {
        this.server = server;
        this.listener = listener;
        this.publisher = new SubmissionPublisher<>(Shared.workers(), capacity);
    }

    /** On the reader thread: the listener first, then every subscriber. */
    void deliver(LeaderEvent event) {
        if (listener != null) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                Shared.LOG.log(Level.WARNING, "leader event listener threw", e);
            }
        }
        publisher.offer(event, (subscriber, ev) -> {
            if (dropped.getAndIncrement() == 0) {
                Shared.LOG.log(Level.WARNING, "{0}: a leader event subscriber is too slow; dropping events",
                        Addresses.format(server));
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

    Flow.Publisher<LeaderEvent> publisher() {
        return publisher;
    }

    long dropped() {
        return dropped.get();
    }
}
