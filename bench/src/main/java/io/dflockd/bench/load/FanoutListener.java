package io.dflockd.bench.load;

import io.dflockd.client.Signal;
import io.dflockd.client.SignalConn;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One receiving end of the fan-out through the client's {@link SignalConn}: its reader thread fills
 * a queue that this listener's worker drains, as an application would. (Raw listeners are
 * multiplexed by {@link RawListenerGroup} instead.)
 */
final class FanoutListener implements AutoCloseable {
    private final SignalConn conn;

    private FanoutListener(SignalConn conn) {
        this.conn = conn;
    }

    static FanoutListener open(InetSocketAddress server) {
        // A deep queue: this measures the server's fan-out, not a consumer that falls behind.
        return new FanoutListener(SignalConn.builder().server(server).queueCapacity(1 << 16).connect());
    }

    /** Subscribes; returns once the server confirmed. */
    void listen(String channel) {
        conn.listen(channel);
    }

    /** The next payload, or {@code null} if none arrived in time or the connection ended. */
    String next(long timeoutMillis) {
        Signal s;
        try {
            s = conn.signals().poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (s == null || s.isEnd()) {
            if (s != null) {
                conn.signals().offer(s); // leave END in the queue, as SignalConn documents
            }
            return null;
        }
        return s.payload();
    }

    /** Signals the client dropped because its queue was full. */
    long droppedByClient() {
        return conn.droppedSignals();
    }

    @Override
    public void close() {
        conn.close();
    }
}
