package io.dflockd.client;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The connections of one data object ({@link DistributedCounter}, {@link DistributedMap},
 * {@link DistributedQueue}, {@link DistributedBarrier}): each call takes an idle connection to the
 * server that owns its key, or opens one, and gives it back after. So calls from several threads run
 * side by side, and none waits behind another's blocked pop or barrier; each barrier party is a
 * connection of its own, as the server counts them.
 *
 * <p>A connection idle for {@value #MAX_IDLE_SECONDS} s is closed instead of reused: the server closes a
 * connection that sends nothing for its read timeout (23 s by default), and a call must not be the one
 * to find out.
 */
final class DataConnections implements AutoCloseable {
    private static final long MAX_IDLE_SECONDS = 10;
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(MAX_IDLE_SECONDS);

    private record Idle(DflockdConnection connection, long sinceNanos) {
    }

    private final ClientConfig config;
    /** How messages name the owner: "queue 'jobs'". */
    private final String owner;
    private final Map<InetSocketAddress, ArrayDeque<Idle>> idle = new HashMap<>();
    private final Set<DflockdConnection> busy = new HashSet<>();
    private boolean closed;

    DataConnections(ClientConfig config, String owner) {
        this.config = config;
        this.owner = owner;
    }

    /**
     * Runs {@code body} on a connection to the server of {@code key}. With an {@code op}, cancelling it
     * closes the connection, which aborts a blocking command (the server withdraws the pop or the party).
     */
    <T> T call(String key, Op op, Function<DataCommands, T> body) {
        InetSocketAddress server = config.serverFor(Validate.key(key));
        DflockdConnection c = take(server);
        if (op != null && !op.attach(c)) {
            drop(c);
            throw new CancellationException("cancelled");
        }
        try {
            return body.apply(c.data());
        } finally {
            if (op != null) {
                op.finish(); // a later cancel must not close the connection once another call may have it
            }
            giveBack(server, c);
        }
    }

    private DflockdConnection take(InetSocketAddress server) {
        List<DflockdConnection> stale = new ArrayList<>();
        DflockdConnection fresh = null;
        synchronized (this) {
            if (closed) {
                throw closedError();
            }
            ArrayDeque<Idle> free = idle.get(server);
            long now = System.nanoTime();
            while (free != null && !free.isEmpty() && fresh == null) {
                Idle i = free.pollLast(); // the most recently used: the least likely to be stale
                if (now - i.sinceNanos() < MAX_IDLE_NANOS && i.connection().isOpen()) {
                    fresh = i.connection();
                    busy.add(fresh);
                } else {
                    stale.add(i.connection());
                }
            }
        }
        stale.forEach(DflockdConnection::close);
        return fresh != null ? fresh : open(server);
    }

    private DflockdConnection open(InetSocketAddress server) {
        DflockdConnection c = DflockdConnection.open(config, server);
        synchronized (this) {
            if (!closed) {
                busy.add(c);
                return c;
            }
        }
        c.close(); // close() ran during the connect
        throw closedError();
    }

    private IllegalStateException closedError() {
        return new IllegalStateException(owner + " is closed");
    }

    private void giveBack(InetSocketAddress server, DflockdConnection c) {
        synchronized (this) {
            if (busy.remove(c) && !closed && c.isOpen()) {
                idle.computeIfAbsent(server, s -> new ArrayDeque<>()).addLast(new Idle(c, System.nanoTime()));
                return;
            }
        }
        c.close();
    }

    private synchronized void drop(DflockdConnection c) {
        busy.remove(c);
    }

    /** Closes every connection, aborting the calls in progress (their blocked pops and barrier parties end). */
    @Override
    public void close() {
        List<DflockdConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            all.addAll(busy);
            busy.clear();
            idle.values().forEach(q -> q.forEach(i -> all.add(i.connection())));
            idle.clear();
        }
        all.forEach(DflockdConnection::close);
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
