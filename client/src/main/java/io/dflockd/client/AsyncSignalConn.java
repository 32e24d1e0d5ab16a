package io.dflockd.client;

import io.dflockd.protocol.Request;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The {@link CompletableFuture} form of {@link SignalConn}, built with
 * {@code SignalConn.builder()…buildAsync()}. Received signals are published through a
 * {@link Flow.Publisher}.
 *
 * <pre>{@code
 * AsyncSignalConn sc = SignalConn.builder().server("127.0.0.1:6388").buildAsync();
 * sc.signals().subscribe(mySubscriber);          // subscribe first: nothing is buffered for later
 * sc.connect().thenCompose(c -> c.listen("events.>")).join();
 * }</pre>
 *
 * <p>Command futures are completed by the connection's reader when the reply arrives; no thread
 * waits per pending command. The publisher delivers on the library's worker threads (virtual
 * threads on Java 21+). Each subscriber has a buffer of the configured queue capacity; when a
 * subscriber's buffer is full its signal is dropped and counted ({@link #droppedSignals()}) rather
 * than stalling the reader. Signals that arrive while nobody is subscribed are discarded. The
 * publisher completes ({@code onComplete}) after {@link #close()}, and signals {@code onError} with
 * a {@link DflockdIOException} when the connection is lost.
 */
public final class AsyncSignalConn implements AutoCloseable {
    private final SignalCore core;
    private final SubmissionPublisher<Signal> publisher;
    private final AtomicLong dropped = new AtomicLong();

    AsyncSignalConn(ClientConfig config, Duration heartbeat, int capacity, Consumer<LeaderEvent> leaderListener,
            Consumer<WatchEvent> watchListener) {
        this.publisher = new SubmissionPublisher<>(Shared.workers(), capacity);
        InetSocketAddress server = config.servers().get(0);
        this.core = new SignalCore(config, server, heartbeat, this::publish,
                new PushEvents<>(server, "leader event", leaderListener, capacity),
                new PushEvents<>(server, "watch event", watchListener, capacity), this::end);
    }

    private void publish(Signal s) {
        publisher.offer(s, (subscriber, sig) -> {
            if (dropped.getAndIncrement() == 0) {
                Shared.LOG.log(Level.WARNING, "{0}: a signal subscriber is too slow; dropping signals (see"
                        + " droppedSignals())", Addresses.format(core.server()));
            }
            return false;
        });
    }

    private void end(Throwable cause) {
        if (cause == null) {
            publisher.close();
        } else {
            publisher.closeExceptionally(cause);
        }
    }

    /** Connects (TCP, TLS, auth) on a worker thread; completes with this. */
    public CompletableFuture<AsyncSignalConn> connect() {
        return CompletableFuture.supplyAsync(() -> {
            core.connect();
            return this;
        }, Shared.workers());
    }

    /** The server this connection talks to. */
    public InetSocketAddress server() {
        return core.server();
    }

    /** Whether the connection is open. */
    public boolean isConnected() {
        return core.isConnected();
    }

    /** Subscribes to {@code pattern}, ungrouped. */
    public CompletableFuture<Void> listen(String pattern) {
        return listen(pattern, null);
    }

    /** Subscribes to {@code pattern} in queue {@code group} ({@code null} = ungrouped). */
    public CompletableFuture<Void> listen(String pattern, String group) {
        Validate.pattern(pattern);
        String g = Validate.group(group);
        Request r = new Request.Listen(pattern, g);
        return core.send(r).thenAccept(line -> Replies.ok(line, server(), Replies.describe(r)));
    }

    /** Removes the ungrouped subscription to {@code pattern}. */
    public CompletableFuture<Void> unlisten(String pattern) {
        return unlisten(pattern, null);
    }

    /** Removes the subscription to {@code pattern} in {@code group}. */
    public CompletableFuture<Void> unlisten(String pattern, String group) {
        Validate.pattern(pattern);
        String g = Validate.group(group);
        Request r = new Request.Unlisten(pattern, g);
        return core.send(r).thenAccept(line -> Replies.ok(line, server(), Replies.describe(r)));
    }

    /** Publishes; completes with the number of deliveries. See {@link SignalConn#emit}. */
    public CompletableFuture<Integer> emit(String channel, String payload) {
        Validate.channel(channel);
        Validate.payload(channel, payload);
        Request r = new Request.Publish(channel, payload);
        return core.send(r).thenApply(line -> (int) Math.min(Replies.okNumber(line, server(), Replies.describe(r)),
                Integer.MAX_VALUE));
    }

    /** Observes the leadership of {@code key}; see {@link SignalConn#observe}. */
    public CompletableFuture<Void> observe(String key) {
        return core.observe(key, true);
    }

    /** Stops observing {@code key}. */
    public CompletableFuture<Void> unobserve(String key) {
        return core.observe(key, false);
    }

    /** The leader events of the observed keys; see {@link SignalConn#leaderEvents()}. */
    public Flow.Publisher<LeaderEvent> leaderEvents() {
        return core.leaderEvents();
    }

    /** Number of leader events dropped because a subscriber's buffer was full. */
    public long droppedLeaderEvents() {
        return core.droppedLeaderEvents();
    }

    /** Watches the keys matching {@code pattern}; see {@link SignalConn#watch}. */
    public CompletableFuture<Void> watch(String pattern) {
        return core.watch(pattern, true);
    }

    /** Stops watching {@code pattern}. */
    public CompletableFuture<Void> unwatch(String pattern) {
        return core.watch(pattern, false);
    }

    /** The watch events of the watched patterns; see {@link SignalConn#watchEvents()}. */
    public Flow.Publisher<WatchEvent> watchEvents() {
        return core.watchEvents();
    }

    /** Number of watch events dropped because a subscriber's buffer was full. */
    public long droppedWatchEvents() {
        return core.droppedWatchEvents();
    }

    /** Sends {@code ping}. */
    public CompletableFuture<Void> ping() {
        return core.send(SignalCore.PING).thenAccept(line -> Replies.ok(line, server(), Replies.describe(SignalCore.PING)));
    }

    /** The received signals; subscribe before {@link #listen} so nothing is missed. */
    public Flow.Publisher<Signal> signals() {
        return publisher;
    }

    /** Number of signals dropped because a subscriber's buffer was full. */
    public long droppedSignals() {
        return dropped.get();
    }

    /** Closes the connection; subscribers get {@code onComplete}. Idempotent. */
    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "AsyncSignalConn[" + Addresses.format(server()) + (isConnected() ? "" : ", not connected") + "]";
    }
}
