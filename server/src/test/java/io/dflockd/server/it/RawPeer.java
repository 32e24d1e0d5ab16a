package io.dflockd.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw protocol peer for tests: writes bytes, reads reply lines, no client library in between. */
public final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawPeer(InetSocketAddress address) throws IOException {
        this(connected(address));
    }

    private static Socket connected(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        return s;
    }

    RawPeer(Socket connected) throws IOException {
        this.socket = connected;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public RawPeer(int port) throws IOException {
        this(new InetSocketAddress("127.0.0.1", port));
    }

    /** Sends one request of three lines. */
    public RawPeer send(String cmd, String key, String arg) throws IOException {
        return raw((cmd + "\n" + key + "\n" + arg + "\n").getBytes(StandardCharsets.UTF_8));
    }

    RawPeer raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a request and returns its reply line. */
    public String call(String cmd, String key, String arg) throws IOException {
        send(cmd, key, arg);
        return line();
    }

    /** The next reply line without its LF; fails the test on EOF. */
    public String line() throws IOException {
        String l = lineOrNull();
        if (l == null) {
            throw new IOException("connection closed by the server");
        }
        return l;
    }

    /** The next line as raw bytes, without its LF. */
    byte[] lineBytes() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            buf.write(b);
        }
        return buf.toByteArray();
    }

    /** The next line, or null at EOF (or a reset: the server closed with our bytes unread). */
    String lineOrNull() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketException e) {
                if (String.valueOf(e.getMessage()).contains("reset")) {
                    return null;
                }
                throw e;
            }
            if (b < 0) {
                return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return buf.toString(StandardCharsets.UTF_8);
            }
            buf.write(b);
        }
    }

    /** True when the server closed the connection (EOF) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    /** Fails unless no line arrives within {@code millis}. */
    void assertSilent(int millis) throws IOException {
        timeout(millis);
        try {
            String line = lineOrNull();
            throw new AssertionError("expected no line, got " + line);
        } catch (java.net.SocketTimeoutException expected) {
            // nothing arrived
        } finally {
            timeout(0);
        }
    }

    Socket socket() {
        return socket;
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
