package io.dflockd.client;

import io.dflockd.protocol.Request;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A dedicated pub/sub connection to one server (signals are not sharded): listen to channel
 * patterns, optionally in queue groups, publish, and consume what arrives.
 *
 * <pre>{@code
 * try (SignalConn sc = SignalConn.builder().server("127.0.0.1:6388").connect()) {
 *     sc.listen("events.>");
 *     for (Signal sig : sc) {               // ends when the connection closes
 *         System.out.println(sig.channel() + ": " + sig.payload());
 *     }
 * }
 * }</pre>
 *
 * <p>Patterns are NATS-style: {@code *} matches one dot-separated token, {@code >} one or more
 * trailing tokens. Within a queue group each signal goes to one member, round-robin.
 *
 * <p><b>Delivery.</b> A background reader separates pushed signals from command replies and puts
 * signals into a bounded queue ({@link #signals()}, capacity set by the builder, default 1024).
 * The reader never blocks on that queue: when it is full the signal is dropped and counted
 * ({@link #droppedSignals()}), because a blocked reader would make the server evict the whole
 * connection (PROTOCOL.md §9.9). When the connection ends, {@link Signal#END} is put into the queue
 * and iteration stops. Signals are at-most-once: none are replayed.
 *
 * <p><b>Keep-alive.</b> A {@code ping} is sent every heartbeat interval (default 15 s) so an idle
 * listener survives the server's read timeout (23 s by default).
 *
 * <p><b>Leader events.</b> {@link #observe(String)} subscribes the connection to a key's leadership
 * changes (PROTOCOL.md §7.12); the reader hands them to the {@link Builder#onLeaderEvent listener}
 * and to {@link #leaderEvents()}, as it hands signals to the queue. {@link #watch(String)} does the same
 * for the changes of the keys matching a pattern ({@link WatchEvent}s: {@link Builder#onWatchEvent},
 * {@link #watchEvents()}).
 *
 * <p>Thread-safe; commands from several threads are sent one at a time.
 */
public final class SignalConn implements AutoCloseable, Iterable<Signal> {
    /** Default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    /** Default capacity of the received-signal queue. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;

    private static final long REPLY_TIMEOUT_S = Durations.REPLY_GRACE_MS / 1000;

    private final SignalCore core;
    private final int capacity;
    private final LinkedBlockingQueue<Signal> queue;
    private final AtomicLong dropped = new AtomicLong();

    private SignalConn(Builder b) {
        this.capacity = b.queueCapacity;
        // one spare slot so END always fits
        this.queue = new LinkedBlockingQueue<>(capacity + 1);
        ClientConfig config = b.config.build();
        InetSocketAddress server = config.servers().get(0);
        this.core = new SignalCore(config, server, b.heartbeat, this::offer,
                new PushEvents<>(server, "leader event", b.leaderListener, capacity),
                new PushEvents<>(server, "watch event", b.watchListener, capacity), cause -> queue.offer(Signal.END));
    }

    /** A builder; default server {@code 127.0.0.1:6388}, plain TCP, no auth. */
    public static Builder builder() {
        return new Builder();
    }

    private void offer(Signal s) {
        if (queue.size() >= capacity || !queue.offer(s)) {
            if (dropped.getAndIncrement() == 0) {
                Shared.LOG.log(Level.WARNING, "{0}: signal queue full ({1}); dropping signals until the consumer"
                        + " catches up (see droppedSignals())", Addresses.format(core.server()), capacity);
            }
        }
    }

    /**
     * Connects (TCP, TLS, auth) and starts the reader and heartbeat.
     *
     * @return this, for try-with-resources
     * @throws IllegalStateException if already connected or closed
     */
    public SignalConn connect() {
        core.connect();
        return this;
    }

    /** Whether the connection is open. */
    public boolean isConnected() {
        return core.isConnected();
    }

    /** The server this connection talks to. */
    public InetSocketAddress server() {
        return core.server();
    }

    /** Subscribes to {@code pattern} (ungrouped: every matching signal is delivered). */
    public void listen(String pattern) {
        listen(pattern, null);
    }

    /**
     * Subscribes to {@code pattern} as a member of queue {@code group} (each signal goes to one
     * member of the group); {@code null} or empty means ungrouped. Returns once the subscription
     * is active.
     *
     * @throws IllegalArgumentException for an invalid pattern or group
     * @throws ServerErrorException if the server refuses (e.g. subscription cap)
     */
    public void listen(String pattern, String group) {
        Validate.pattern(pattern);
        String g = Validate.group(group);
        Request r = new Request.Listen(pattern, g);
        String req = Replies.describe(r);
        Replies.ok(call(core.send(r), req), server(), req);
    }

    /** Removes the ungrouped subscription to {@code pattern} (no error if absent). */
    public void unlisten(String pattern) {
        unlisten(pattern, null);
    }

    /** Removes the subscription to {@code pattern} in {@code group} (no error if absent). */
    public void unlisten(String pattern, String group) {
        Validate.pattern(pattern);
        String g = Validate.group(group);
        Request r = new Request.Unlisten(pattern, g);
        String req = Replies.describe(r);
        Replies.ok(call(core.send(r), req), server(), req);
    }

    /**
     * Publishes {@code payload} on {@code channel} (no wildcards) and returns the number of
     * deliveries: each ungrouped listener and each queue group counts once. This connection's own
     * matching subscriptions receive it too.
     *
     * @throws IllegalArgumentException for an invalid channel or payload (empty, blank, CR/LF/NUL,
     *     too long)
     */
    public int emit(String channel, String payload) {
        Validate.channel(channel);
        Validate.payload(channel, payload);
        Request r = new Request.Publish(channel, payload);
        String req = Replies.describe(r);
        long n = Replies.okNumber(call(core.send(r), req), server(), req);
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /**
     * Observes the leadership of {@code key} (PROTOCOL.md §6.15): from now on each change is pushed
     * and handed, as a {@link LeaderEvent}, to the builder's {@link Builder#onLeaderEvent listener}
     * and to the subscribers of {@link #leaderEvents()}. If the key has a leader now, an
     * {@link LeaderEvent.Kind#ELECTED} comes first. Observing an observed key again changes nothing.
     *
     * @throws ServerErrorException if the server refuses (the subscription cap, which counts
     *     {@link #listen listens} and observed keys together)
     */
    public void observe(String key) {
        call(core.observe(key, true), "observe " + key);
    }

    /** Stops observing {@code key} (no error if it was not observed). */
    public void unobserve(String key) {
        call(core.observe(key, false), "unobserve " + key);
    }

    /**
     * The leader events of the observed keys, in the order the server pushed them. Subscribe before
     * {@link #observe}: events are not kept for later subscribers. Each subscriber has a buffer of the
     * queue capacity; a full buffer drops the event ({@link #droppedLeaderEvents()}). Completes when
     * the connection is closed, {@code onError} when it is lost.
     */
    public Flow.Publisher<LeaderEvent> leaderEvents() {
        return core.leaderEvents();
    }

    /** Number of leader events dropped because a subscriber's buffer was full. */
    public long droppedLeaderEvents() {
        return core.droppedLeaderEvents();
    }

    /**
     * Watches the keys matching {@code pattern} (PROTOCOL.md §6.19; {@code *} one dot-separated token,
     * {@code >} the rest): from now on every change of such a key (a lock granted or released, a counter,
     * entry or list changed, a leader elected or resigned) is pushed and handed, as a {@link WatchEvent},
     * to the builder's {@link Builder#onWatchEvent listener} and to the subscribers of
     * {@link #watchEvents()}, in the order of the key's changes, once even when several watched patterns
     * match. Watching a watched pattern again changes nothing.
     *
     * @throws ServerErrorException if the server refuses (the subscription cap, which counts watches with
     *     listens and observed keys)
     */
    public void watch(String pattern) {
        call(core.watch(pattern, true), "watch " + pattern);
    }

    /** Stops watching {@code pattern} (no error if it was not watched). */
    public void unwatch(String pattern) {
        call(core.watch(pattern, false), "unwatch " + pattern);
    }

    /**
     * The watch events of the watched patterns, in the order the server pushed them. Subscribe before
     * {@link #watch}: events are not kept for later subscribers. Buffers, drops
     * ({@link #droppedWatchEvents()}) and completion as for {@link #leaderEvents()}.
     */
    public Flow.Publisher<WatchEvent> watchEvents() {
        return core.watchEvents();
    }

    /** Number of watch events dropped because a subscriber's buffer was full. */
    public long droppedWatchEvents() {
        return core.droppedWatchEvents();
    }

    /** Sends {@code ping} and waits for {@code ok}. */
    public void ping() {
        String req = Replies.describe(SignalCore.PING);
        Replies.ok(call(core.send(SignalCore.PING), req), server(), req);
    }

    private <T> T call(CompletableFuture<T> reply, String req) {
        try {
            return reply.get(REPLY_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DflockdException(server(), "interrupted while waiting for the reply to " + req, e);
        } catch (TimeoutException e) {
            core.close();
            throw new DflockdIOException(server(), "no reply to " + req + " within " + REPLY_TIMEOUT_S + " s", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof DflockdException) {
                throw (DflockdException) c;
            }
            throw new DflockdException(server(), req + " failed", c);
        }
    }

    /**
     * The queue received signals are put into. {@link Signal#END} (compare by reference) marks the
     * end of the stream after the connection closed; leave it in the queue so other consumers see it
     * too. Consuming from both the queue and an iterator splits the signals between them.
     */
    public BlockingQueue<Signal> signals() {
        return queue;
    }

    /** Number of signals dropped because the queue was full. */
    public long droppedSignals() {
        return dropped.get();
    }

    /**
     * Iterates received signals, blocking for each; ends cleanly when the connection closes (or when
     * the iterating thread is interrupted; the interrupt flag is then set again).
     */
    @Override
    public Iterator<Signal> iterator() {
        return new Iterator<>() {
            private Signal next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                try {
                    Signal s = queue.take();
                    if (s == Signal.END) {
                        queue.offer(Signal.END); // leave the marker for other consumers
                        ended = true;
                        return false;
                    }
                    next = s;
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ended = true;
                    return false;
                }
            }

            @Override
            public Signal next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("signal stream ended");
                }
                Signal s = next;
                next = null;
                return s;
            }
        };
    }

    /** Closes the connection (the server drops its subscriptions); iteration ends. Idempotent. */
    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "SignalConn[" + Addresses.format(server()) + (isConnected() ? "" : ", not connected") + "]";
    }

    /** Builder of {@link SignalConn} and {@link AsyncSignalConn}; validates eagerly. */
    public static final class Builder {
        final ClientConfig.Builder config = ClientConfig.builder();
        /** Told of every connection built (a {@link DflockdClient} keeps them, to close them with itself). */
        java.util.function.Consumer<AutoCloseable> onBuild = built -> { };
        Duration heartbeat = DEFAULT_HEARTBEAT;
        int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        java.util.function.Consumer<LeaderEvent> leaderListener;
        java.util.function.Consumer<WatchEvent> watchListener;

        private Builder() {
        }

        /** The server, {@code host:port} (default {@code 127.0.0.1:6388}). */
        public Builder server(String hostPort) {
            config.server(hostPort);
            return this;
        }

        /** The server. */
        public Builder server(InetSocketAddress address) {
            config.server(address);
            return this;
        }

        /**
         * Takes TLS, auth token, connect timeout and the first server from {@code config}; later
         * builder calls override them.
         */
        public Builder config(ClientConfig config) {
            Objects.requireNonNull(config, "config");
            this.config.server(config.servers().get(0)).sslContext(config.sslContext())
                    .authToken(config.authToken()).connectTimeout(config.connectTimeout());
            return this;
        }

        /** TLS context ({@code null} = plain TCP); see {@link ClientConfig.Builder#sslContext}. */
        public Builder sslContext(SSLContext context) {
            config.sslContext(context);
            return this;
        }

        /** Auth token ({@code null} = none); see {@link ClientConfig.Builder#authToken}. */
        public Builder authToken(String token) {
            config.authToken(token);
            return this;
        }

        /** Bounds connect, TLS handshake and auth (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            config.connectTimeout(timeout);
            return this;
        }

        /** Interval of the keep-alive {@code ping} (default 15 s); {@link Duration#ZERO} disables it. */
        public Builder heartbeatInterval(Duration interval) {
            Objects.requireNonNull(interval, "heartbeatInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("heartbeat interval must not be negative, got " + interval);
            }
            if (!interval.isZero() && interval.toMillis() < 1) {
                throw new IllegalArgumentException("heartbeat interval must be at least 1 ms, got " + interval);
            }
            this.heartbeat = interval;
            return this;
        }

        /** Capacity of the received-signal queue (default 1024); when full, new signals are dropped. */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1 || capacity == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("queue capacity must be in 1..2^31-2, got " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * Called with each leader event of the observed keys ({@link SignalConn#observe}), in order, on
         * the connection's reader thread: it must return quickly (a stalled reader gets the connection
         * evicted, PROTOCOL.md §9.9). Default none.
         */
        public Builder onLeaderEvent(java.util.function.Consumer<LeaderEvent> listener) {
            this.leaderListener = listener;
            return this;
        }

        /**
         * Called with each watch event of the watched patterns ({@link SignalConn#watch}), in order, on
         * the connection's reader thread: it must return quickly, as {@link #onLeaderEvent}. Default none.
         */
        public Builder onWatchEvent(java.util.function.Consumer<WatchEvent> listener) {
            this.watchListener = listener;
            return this;
        }

        /** Builds an unconnected {@link SignalConn}; call {@link SignalConn#connect()}. */
        public SignalConn build() {
            SignalConn c = new SignalConn(this);
            onBuild.accept(c);
            return c;
        }

        /** Builds and connects. */
        public SignalConn connect() {
            return build().connect();
        }

        /** Builds an unconnected {@link AsyncSignalConn}. */
        public AsyncSignalConn buildAsync() {
            AsyncSignalConn c = new AsyncSignalConn(config.build(), heartbeat, queueCapacity, leaderListener,
                    watchListener);
            onBuild.accept(c);
            return c;
        }
    }
}
