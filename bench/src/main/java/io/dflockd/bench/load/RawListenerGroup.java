package io.dflockd.bench.load;

import io.dflockd.bench.report.Latency;
import io.dflockd.bench.wire.ReplyBytes;
import io.dflockd.bench.wire.Wire;
import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * Many raw listening connections served by one selector thread, so that the load generator does
 * not need a thread (and a context switch per signal) for each listener: on a small box that is
 * what would otherwise cap the fan-out figure. Parses {@code sig <channel> <nanoTime>} lines in
 * place, without allocating.
 */
final class RawListenerGroup implements AutoCloseable {
    private static final long PING_INTERVAL_NANOS = 10_000_000_000L;
    private static final byte[] PING = Wire.encode(new Request.Ping());
    private static final Reply OK = new Reply.Bare(Status.OK);
    /** Longest reply line read during the listen handshake. */
    private static final int MAX_HANDSHAKE_LINE = 1024;

    private final Selector selector;
    private final SocketChannel[] channels;
    private final long[] received;
    private final Latency latency = new Latency();
    private long total;
    private long last;

    /** Connects {@code n} listeners and subscribes each to {@code channel}, one at a time. */
    RawListenerGroup(InetSocketAddress server, int n, String channel) throws IOException {
        selector = Selector.open();
        channels = new SocketChannel[n];
        received = new long[n];
        InetSocketAddress target = server.isUnresolved()
                ? new InetSocketAddress(server.getHostString(), server.getPort()) : server;
        byte[] listen = Wire.encode(new Request.Listen(channel, ""));
        for (int i = 0; i < n; i++) {
            SocketChannel c = SocketChannel.open(target);
            channels[i] = c;
            c.socket().setTcpNoDelay(true);
            c.write(ByteBuffer.wrap(listen));
            Reply reply = Wire.parse(readLine(c)); // nothing but the reply can arrive before it
            if (!OK.equals(reply)) {
                throw new IOException("listen " + channel + ": unexpected reply " + reply.encode());
            }
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ, new Reader(i));
        }
    }

    /** One line from a blocking channel, byte by byte, so nothing after it is consumed (setup only). */
    private static String readLine(SocketChannel c) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder line = new StringBuilder();
        while (line.length() < MAX_HANDSHAKE_LINE) {
            one.clear();
            if (c.read(one) < 0) {
                throw new IOException("connection closed during the listen handshake");
            }
            char ch = (char) (one.get(0) & 0xff);
            if (ch == '\n') {
                int end = line.length();
                while (end > 0 && line.charAt(end - 1) == '\r') {
                    end--;
                }
                return line.substring(0, end);
            }
            line.append(ch);
        }
        throw new IOException("reply line too long during the listen handshake");
    }

    /** Per-connection read state: a buffer and the partial line carried over between reads. */
    private final class Reader {
        final int index;
        final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);

        Reader(int index) {
            this.index = index;
        }

        /** Reads what is available and handles every complete line; false at end of stream. */
        boolean read(SocketChannel c, long perListener, String warmupPrefix) throws IOException {
            int r = c.read(buf);
            if (r < 0) {
                return false;
            }
            long now = System.nanoTime();
            buf.flip();
            byte[] a = buf.array();
            int start = buf.position();
            int limit = buf.limit();
            for (int i = start; i < limit; i++) {
                if (a[i] == '\n') {
                    line(a, start, i, now, perListener, warmupPrefix);
                    start = i + 1;
                }
            }
            buf.position(start);
            buf.compact();
            return true;
        }

        private void line(byte[] a, int from, int to, long now, long perListener, String warmupPrefix) {
            while (to > from && a[to - 1] == '\r') {
                to--;
            }
            // "sig <channel> <payload>", split as SignalFrame.parse does (ReplyBytesTest)
            int p = ReplyBytes.pushPayloadStart(a, from, to);
            if (p < 0) {
                return; // not a push: the "ok" of a keep-alive ping
            }
            if (p < to && a[p] == warmupPrefix.charAt(0)) {
                return;
            }
            long sent = 0;
            for (int i = p; i < to; i++) {
                sent = sent * 10 + (a[i] - '0');
            }
            latency.record(now - sent);
            if (received[index]++ < perListener) {
                total++;
                last = now;
            }
        }
    }

    /**
     * Receives until every listener has {@code perListener} timed signals, or until nothing arrived
     * for {@code quietMillis} once {@code publisherDone} says the publisher has finished.
     */
    void receive(long perListener, String warmupPrefix, long quietMillis, java.util.function.BooleanSupplier publisherDone)
            throws IOException {
        long expected = perListener * channels.length;
        long nextPing = System.nanoTime() + PING_INTERVAL_NANOS;
        while (total < expected) {
            if (System.nanoTime() - nextPing >= 0) {
                pingAll();
                nextPing = System.nanoTime() + PING_INTERVAL_NANOS;
            }
            int ready = selector.select(Math.min(quietMillis, PING_INTERVAL_NANOS / 1_000_000));
            if (ready == 0) {
                if (publisherDone.getAsBoolean()) {
                    return;
                }
                continue;
            }
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                if (!((Reader) k.attachment()).read((SocketChannel) k.channel(), perListener, warmupPrefix)) {
                    k.cancel(); // closed by the server (slow consumer): its missing signals are errors
                }
            }
        }
    }

    /**
     * Keeps every listener inside the server's read timeout (23 s by default), as SignalConn's
     * heartbeat does. 11 bytes always fit the socket buffer, so the non-blocking write completes.
     */
    private void pingAll() throws IOException {
        for (SocketChannel c : channels) {
            if (c.isOpen()) {
                c.write(ByteBuffer.wrap(PING));
            }
        }
    }

    Latency latency() {
        return latency;
    }

    /** Timed signals received over all listeners. */
    long total() {
        return total;
    }

    /** When the last timed signal arrived (System.nanoTime), 0 if none. */
    long lastReceipt() {
        return last;
    }

    /** Listeners that got fewer than {@code perListener} signals. */
    int listenersShort(long perListener) {
        int n = 0;
        for (long r : received) {
            if (r < perListener) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        for (SocketChannel c : channels) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
