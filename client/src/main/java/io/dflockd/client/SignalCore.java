package io.dflockd.client;

import io.dflockd.protocol.LeaderFrame;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.SignalFrame;
import io.dflockd.protocol.WatchFrame;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The dedicated signal connection (PROTOCOL.md §9.8, §9.13, §9.14, §14.10): one reader that splits
 * {@code sig}, {@code leader} and {@code watch} pushes from replies, commands sent one at a time (the
 * next only after the previous reply), and a heartbeat {@code ping}. No thread waits per pending
 * command: replies complete futures.
 */
final class SignalCore {
    private final ClientConfig config;
    private final InetSocketAddress server;
    private final Duration heartbeat;
    private final Consumer<Signal> sink;
    private final PushEvents<LeaderEvent> leaders;
    private final PushEvents<WatchEvent> watches;
    private final Consumer<Throwable> onEnd;

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Transport transport;
    private boolean connected;
    private boolean closed;
    private volatile boolean closedByUser;
    private ScheduledFuture<?> heartbeatTask;

    static final Request PING = new Request.Ping();

    private static final class Pending {
        final byte[] request;
        final String description;
        final CompletableFuture<String> reply = new CompletableFuture<>();

        Pending(byte[] request, String description) {
            this.request = request;
            this.description = description;
        }
    }

    /**
     * @param sink receives every signal push, on the reader thread; must not block
     * @param leaders receives every leader push (of the keys observed), on the reader thread, and
     *     is ended with the connection
     * @param watches the same for every watch push (of the patterns watched)
     * @param onEnd called once when the connection ends: {@code null} after {@link #close()},
     *     otherwise the cause
     */
    SignalCore(ClientConfig config, InetSocketAddress server, Duration heartbeat, Consumer<Signal> sink,
            PushEvents<LeaderEvent> leaders, PushEvents<WatchEvent> watches, Consumer<Throwable> onEnd) {
        this.config = config;
        this.server = server;
        this.heartbeat = heartbeat;
        this.sink = sink;
        this.leaders = leaders;
        this.watches = watches;
        this.onEnd = onEnd;
    }

    InetSocketAddress server() {
        return server;
    }

    /** TCP → TLS → auth, then starts the reader and the heartbeat. Blocking. */
    void connect() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("signal connection is closed");
            }
            if (connected) {
                throw new IllegalStateException("signal connection is already connected");
            }
            connected = true;
        }
        Transport t;
        try {
            t = Transport.connect(config, server);
        } catch (RuntimeException e) {
            synchronized (this) {
                connected = false;
            }
            throw e;
        }
        synchronized (this) {
            if (closed) {
                t.close();
                throw new IllegalStateException("signal connection was closed while connecting");
            }
            transport = t;
            if (!heartbeat.isZero()) {
                long ms = Math.max(1, heartbeat.toMillis());
                heartbeatTask = Shared.scheduler().scheduleWithFixedDelay(this::ping, ms, ms, TimeUnit.MILLISECONDS);
            }
        }
        Shared.startLoop("dflockd-signal-reader-" + Addresses.format(server), () -> readLoop(t));
    }

    synchronized boolean isConnected() {
        return connected && !closed && transport != null;
    }

    private void ping() {
        send(PING).whenComplete((line, e) -> {
            if (e == null && !line.equals("ok")) {
                // pre-v1.14 servers answer "error": harmless, the request still counted as traffic
                Shared.LOG.log(Level.DEBUG, "heartbeat ping answered {0}", line);
            }
        });
    }

    /**
     * Queues one command; it is written once every earlier command has its reply. The future
     * completes with the reply line, or exceptionally with {@link DflockdIOException} if the
     * connection ends first.
     */
    CompletableFuture<String> send(Request request) {
        String description = Replies.describe(request);
        Pending p = new Pending(request.encode(StandardCharsets.UTF_8), description);
        synchronized (this) {
            if (closed || transport == null) {
                p.reply.completeExceptionally(new DflockdIOException(server, closed
                        ? "signal connection is closed (" + description + ")"
                        : "signal connection is not connected (" + description + ")"));
                return p.reply;
            }
            pending.add(p);
            if (pending.size() == 1) {
                writeLocked(p);
            }
        }
        return p.reply;
    }

    private void writeLocked(Pending p) {
        try {
            transport.write(p.request);
        } catch (IOException e) {
            // the reader notices the closed socket and fails every pending command
            transport.closeSocket();
        }
    }

    private void readLoop(Transport t) {
        Throwable cause = null;
        try {
            t.readTimeout(0);
            while (true) {
                String line = t.readLine();
                if (line == null) {
                    cause = new DflockdIOException(server, "connection closed by server");
                    break;
                }
                if (SignalFrame.isPush(line)) {
                    deliver(line);
                    continue;
                }
                if (LeaderFrame.isPush(line)) {
                    deliverPush(line, "leader", l -> LeaderEvent.of(LeaderFrame.parse(l)), leaders);
                    continue;
                }
                if (WatchFrame.isPush(line)) {
                    deliverPush(line, "watch", l -> WatchEvent.of(WatchFrame.parse(l)), watches);
                    continue;
                }
                Pending done;
                synchronized (this) {
                    done = pending.poll();
                    Pending next = pending.peek();
                    if (next != null) {
                        writeLocked(next);
                    }
                }
                if (done == null) {
                    Shared.LOG.log(Level.WARNING, "{0}: unexpected line on signal connection: {1}",
                            Addresses.format(server), Replies.quote(line));
                    continue;
                }
                done.reply.complete(line);
            }
        } catch (IOException e) {
            cause = t.failure(e);
        } catch (RuntimeException e) {
            cause = e;
        } finally {
            end(cause);
        }
    }

    private void deliver(String line) {
        String[] parts;
        try {
            parts = SignalFrame.parse(line);
        } catch (IllegalArgumentException e) {
            Shared.LOG.log(Level.WARNING, "{0}: malformed signal push ignored: {1}", Addresses.format(server),
                    Replies.quote(line));
            return;
        }
        try {
            sink.accept(new Signal(parts[0], parts[1]));
        } catch (RuntimeException e) {
            Shared.LOG.log(Level.WARNING, "signal consumer threw", e);
        }
    }

    /** {@code parse} gives {@code null} for an event word of a later server: ignored, as §7.12 asks. */
    private <E> void deliverPush(String line, String kind, Function<String, E> parse, PushEvents<E> events) {
        E event;
        try {
            event = parse.apply(line);
        } catch (IllegalArgumentException e) {
            Shared.LOG.log(Level.WARNING, "{0}: malformed {1} push ignored: {2}", Addresses.format(server), kind,
                    Replies.quote(line));
            return;
        }
        if (event == null) {
            Shared.LOG.log(Level.DEBUG, "{0}: {1} push of an unknown event ignored: {2}",
                    Addresses.format(server), kind, Replies.quote(line));
            return;
        }
        events.deliver(event);
    }

    private void end(Throwable cause) {
        List<Pending> failed;
        synchronized (this) {
            closed = true;
            if (heartbeatTask != null) {
                heartbeatTask.cancel(false);
            }
            if (transport != null) {
                transport.closeSocket();
            }
            failed = new ArrayList<>(pending);
            pending.clear();
        }
        for (Pending p : failed) {
            p.reply.completeExceptionally(new DflockdIOException(server,
                    "signal connection closed before the reply to " + p.description, cause));
        }
        leaders.end(closedByUser ? null : cause);
        watches.end(closedByUser ? null : cause);
        onEnd.accept(closedByUser ? null : cause);
    }

    /** Subscribes ({@code observe}) or unsubscribes ({@code unobserve}) the leader pushes of {@code key}. */
    CompletableFuture<Void> observe(String key, boolean subscribe) {
        Request r = new Request.Observe(Validate.key(key), subscribe);
        return send(r).thenAccept(line -> Replies.ok(line, server, Replies.describe(r)));
    }

    /** Subscribes ({@code watch}) or unsubscribes ({@code unwatch}) the watch pushes of the keys matching {@code pattern}. */
    CompletableFuture<Void> watch(String pattern, boolean subscribe) {
        Request r = new Request.Watch(Validate.pattern(pattern), subscribe);
        return send(r).thenAccept(line -> Replies.ok(line, server, Replies.describe(r)));
    }

    Flow.Publisher<WatchEvent> watchEvents() {
        return watches.publisher();
    }

    long droppedWatchEvents() {
        return watches.dropped();
    }

    Flow.Publisher<LeaderEvent> leaderEvents() {
        return leaders.publisher();
    }

    long droppedLeaderEvents() {
        return leaders.dropped();
    }

    /** Closes the connection; the reader then ends the stream. Idempotent. */
    void close() {
        boolean endHere;
        synchronized (this) {
            closedByUser = true;
            if (transport != null) {
                closed = true; // isConnected() is false once close() returns; sends are refused
                transport.close(); // the reader sees the closed socket and calls end()
                return;
            }
            endHere = !closed;
            closed = true;
        }
        if (endHere) { // never connected: no reader to end the stream
            leaders.end(null);
            watches.end(null);
            onEnd.accept(null);
        }
    }
}
