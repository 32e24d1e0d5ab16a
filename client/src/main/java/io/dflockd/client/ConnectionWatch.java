package io.dflockd.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Watches an idle connection so that its loss is known at once, not at the next request.
 *
 * <p>A blocking socket only learns of the peer's EOF or RST when somebody reads, and a held lock's
 * connection is silent between renewals (up to 15 s). Once started, a watch owns the socket's input:
 * one long-lived reader reads every reply line into a queue, and {@link #next(int)} hands them to
 * the caller that sent the request. When the stream ends or fails, the reader queues the end
 * (so a waiting or later call sees it) and then runs {@code onLoss}, unless the application closed
 * the connection itself.
 *
 * <p>Concurrency: one reader thread; any number of threads may call {@link #next(int)}, but the
 * owner serialises calls so only one waits at a time. Reader and writers share the socket, which is
 * full duplex (also for TLS).
 */
final class ConnectionWatch {
    /** What the reader read: a reply line or the end of the stream. */
    private sealed interface Event permits Line, End {
    }

    private record Line(String text) implements Event {
    }

    /** {@code failure} is null for a clean EOF. */
    private record End(IOException failure) implements Event {
    }

    /** Reads one line; null at end of stream. */
    @FunctionalInterface
    interface LineSource {
        String readLine() throws IOException;
    }

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private ConnectionWatch() {
    }

    /**
     * Starts the reader.
     *
     * @param closedByClient tells whether the application closed the connection (no loss to report)
     * @param onLoss given the cause (an {@link EOFException} for a clean close by the server) after
     *     the end has been queued, so a caller blocked in {@link #next(int)} is already released
     */
    static ConnectionWatch start(String name, LineSource source, BooleanSupplier closedByClient,
            Consumer<IOException> onLoss) {
        ConnectionWatch w = new ConnectionWatch();
        Shared.startLoop(name, () -> w.readUntilEnd(source, closedByClient, onLoss));
        return w;
    }

    private void readUntilEnd(LineSource source, BooleanSupplier closedByClient,
            Consumer<IOException> onLoss) {
        IOException failure;
        try {
            String line;
            while ((line = source.readLine()) != null) {
                events.add(new Line(line));
            }
            failure = null;
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) { // e.g. a reply line over the size cap
            failure = new IOException(e.getMessage(), e);
        }
        events.add(new End(failure));
        if (!closedByClient.getAsBoolean()) {
            onLoss.accept(failure != null ? failure : new EOFException("connection closed by server"));
        }
    }

    /**
     * The next reply line, waiting up to {@code timeoutMs} (0 = forever). Uninterruptible like the
     * socket read it replaces: an interrupt is kept for the caller, not acted on, so a release from
     * an interrupted thread still completes.
     *
     * @return the line, or null at end of stream
     * @throws SocketTimeoutException if no line arrived in time
     * @throws IOException the reader's failure
     */
    String next(int timeoutMs) throws IOException {
        Event ev = take(timeoutMs);
        if (ev == null) {
            throw new SocketTimeoutException("no reply in time");
        }
        if (ev instanceof Line l) {
            return l.text();
        }
        End e = (End) ev;
        events.add(e); // the end stays visible to every later call
        if (e.failure() != null) {
            throw e.failure();
        }
        return null;
    }

    private Event take(int timeoutMs) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            while (true) {
                try {
                    if (timeoutMs == 0) {
                        return events.take();
                    }
                    return events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
