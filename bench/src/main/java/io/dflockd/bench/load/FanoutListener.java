package io.dflockd.bench.load;

import io.dflockd.bench.wire.ClientKind;
import io.dflockd.bench.wire.LineSocket;
import io.dflockd.client.Signal;
import io.dflockd.client.SignalConn;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One receiving end of the fan-out: either the client's {@link SignalConn} (its reader thread
 * fills a queue this worker drains, as an application would) or a raw socket read directly.
 * Either way it hands each payload to the workload, which decodes the send timestamp.
 */
abstract class FanoutListener implements AutoCloseable {
    /** Subscribes; returns once the server confirmed. */
    abstract void listen(String channel) throws IOException;

    /**
     * The next payload, or {@code null} if none arrived within {@code timeoutMillis} or the
     * connection ended.
     */
    abstract String next(long timeoutMillis) throws IOException;

    @Override
    public abstract void close();

    /** Signals the client itself dropped (its queue was full); always 0 for raw sockets. */
    long droppedByClient() {
        return 0;
    }

    static FanoutListener open(ClientKind kind, InetSocketAddress server) throws IOException {
        return kind == ClientKind.LIBRARY ? new Library(server) : new Raw(server);
    }

    /** Through {@link SignalConn}. */
    private static final class Library extends FanoutListener {
        private final SignalConn conn;

        Library(InetSocketAddress server) {
            // A deep queue: this measures the server's fan-out, not a consumer that falls behind.
            conn = SignalConn.builder().server(server).queueCapacity(1 << 16).connect();
        }

        @Override
        void listen(String channel) {
            conn.listen(channel);
        }

        @Override
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
                    conn.signals().offer(s); // leave END for anyone else, as documented
                }
                return null;
            }
            return s.payload();
        }

        @Override
        long droppedByClient() {
            return conn.droppedSignals();
        }

        @Override
        public void close() {
            conn.close();
        }
    }

    /** A raw socket: reads {@code sig <channel> <payload>} lines itself. */
    private static final class Raw extends FanoutListener {
        private final LineSocket io;

        Raw(InetSocketAddress server) throws IOException {
            io = LineSocket.connect(server);
        }

        @Override
        void listen(String channel) throws IOException {
            io.begin().text("listen\n").text(channel).text("\n\n").send();
            io.readLine();
            if (!io.lineIs("ok")) {
                throw new IOException("listen " + channel + ": unexpected reply " + io.lineText(0));
            }
        }

        @Override
        String next(long timeoutMillis) throws IOException {
            io.readTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMillis)));
            try {
                io.readLine();
            } catch (java.net.SocketTimeoutException e) {
                return null;
            } catch (java.io.EOFException e) {
                return null;
            }
            if (!io.lineStartsWith("sig ")) {
                throw new IOException("unexpected line on a listening connection: " + io.lineText(0));
            }
            int space = 4;
            while (space < io.lineLength() && io.lineByte(space) != ' ') {
                space++;
            }
            return io.lineText(space + 1);
        }

        @Override
        public void close() {
            io.close();
        }
    }
}
