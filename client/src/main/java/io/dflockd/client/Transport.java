package io.dflockd.client;

import io.dflockd.protocol.Request;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One TCP (optionally TLS) connection with line framing: requests are three LF-terminated UTF-8
 * lines written in one go, replies are single lines of at most 1 MiB (a stats reply: 64 MiB). Not
 * thread-safe by itself;
 * {@link #close()} may be called from any thread and unblocks a pending read.
 */
final class Transport implements AutoCloseable {
    /** Longest reply line accepted: a bound on what a broken peer can make the client buffer. */
    static final int MAX_REPLY_BYTES = 1 << 20;
    /** Longest stats reply: a server with 200 000 held locks sends about 20 MB. */
    static final int MAX_STATS_REPLY_BYTES = 64 << 20;

    private final InetSocketAddress server;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int lim;
    private byte[] line = new byte[512];
    private volatile boolean closed;
    private volatile boolean closedByClient;
    private volatile ConnectionWatch watch;
    private int readTimeoutMs;
    private int maxReplyBytes = MAX_REPLY_BYTES;
    private boolean replied;

    private Transport(InetSocketAddress server, Socket socket) throws IOException {
        this.server = server;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * TCP connect → TLS handshake (if configured) → {@code auth} (if a token is configured), all
     * within the config's connect timeout.
     */
    static Transport connect(ClientConfig config, InetSocketAddress server) {
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        InetSocketAddress target;
        try {
            target = Addresses.resolve(server);
        } catch (UnknownHostException e) {
            throw new DflockdIOException(server, "unknown host", e);
        }
        Socket raw = new Socket();
        Transport t = null;
        try {
            raw.setTcpNoDelay(true);
            raw.setKeepAlive(true);
            raw.connect(target, remainingMs(deadline, server));
            Socket s = raw;
            if (config.sslContext() != null) {
                SSLSocket ssl = (SSLSocket) config.sslContext().getSocketFactory()
                        .createSocket(raw, server.getHostString(), server.getPort(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.setSoTimeout(remainingMs(deadline, server));
                ssl.startHandshake();
                s = ssl;
            }
            t = new Transport(server, s);
            if (config.authToken() != null) {
                t.authenticate(config.authToken(), deadline);
            }
            return t;
        } catch (IOException e) {
            closeQuietly(raw);
            throw t != null ? t.failure(e) : mapConnectFailure(server, e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            if (t != null) {
                t.closeSocket();
            }
            throw e;
        }
    }

    private void authenticate(String token, long deadline) throws IOException {
        socket.setSoTimeout(remainingMs(deadline, server));
        write(new Request.Auth(token).encode(StandardCharsets.UTF_8));
        String reply = readLine();
        if (reply == null) {
            closeSocket();
            throw new DflockdIOException(server, "connection closed by server before it answered auth"
                    + tlsHint());
        }
        if (!reply.equals("ok")) {
            closeSocket();
            throw new AuthException(server, "authentication failed: the server answered " + Replies.quote(reply)
                    + (reply.equals("error") ? " (is auth enabled on the server?)" : ""));
        }
    }

    private static int remainingMs(long deadline, InetSocketAddress server) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000L;
        if (ms <= 0) {
            throw new SocketTimeoutException("connect timed out");
        }
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    private static DflockdIOException mapConnectFailure(InetSocketAddress server, IOException e) {
        String what;
        if (e instanceof ConnectException && String.valueOf(e.getMessage()).toLowerCase().contains("refused")) {
            what = "connection refused";
        } else if (e instanceof SocketTimeoutException) {
            what = "connect timed out";
        } else if (e instanceof NoRouteToHostException) {
            what = "no route to host";
        } else if (e instanceof SSLException) {
            what = "TLS handshake failed: " + e.getMessage();
        } else if (e instanceof EOFException) {
            what = "connection closed by server during connect";
        } else {
            what = "connect failed: " + e;
        }
        return new DflockdIOException(server, what, e);
    }

    /** The server address as configured (host name kept, not resolved). */
    InetSocketAddress server() {
        return server;
    }

    void write(byte[] request) throws IOException {
        out.write(request);
        out.flush();
    }

    /** Read timeout for the next reads in ms; 0 = wait forever. */
    void readTimeout(int ms) throws IOException {
        readTimeoutMs = ms;
        if (watch == null) {
            socket.setSoTimeout(ms);
        }
    }

    /** Longest reply line accepted from now on. */
    void maxReplyBytes(int bytes) {
        maxReplyBytes = bytes;
    }

    /**
     * From now on a reader watches the connection and reports its loss to {@code onLoss} at once
     * (see {@link ConnectionWatch}); replies then reach {@link #readLine()} through the watch.
     * Call it at most once, between calls.
     */
    void watch(String name, java.util.function.Consumer<IOException> onLoss) throws IOException {
        socket.setSoTimeout(0); // the reader waits as long as the connection lives
        watch = ConnectionWatch.start(name, this::readSocketLine, this::closedByClient, onLoss);
    }

    /**
     * Reads one reply line: from the watch if one runs, else from the socket.
     *
     * @return the line, or {@code null} at end of stream before any byte of a new line
     */
    String readLine() throws IOException {
        ConnectionWatch w = watch;
        String line = w != null ? w.next(readTimeoutMs) : readSocketLine();
        replied |= line != null;
        return line;
    }

    /** Reads one LF-terminated line (LF and trailing CRs removed) as UTF-8; null at end of stream. */
    private String readSocketLine() throws IOException {
        int n = 0;
        while (true) {
            if (pos == lim) {
                int r = in.read(buf);
                if (r < 0) {
                    if (n > 0) {
                        throw new EOFException("connection closed in the middle of a reply line");
                    }
                    return null;
                }
                pos = 0;
                lim = r;
            }
            int start = pos;
            while (pos < lim && buf[pos] != '\n') {
                pos++;
            }
            int chunk = pos - start;
            int max = maxReplyBytes;
            if (n + chunk > max) {
                closeSocket();
                throw new ProtocolViolationException(server, "reply line longer than " + max + " bytes");
            }
            if (n + chunk > line.length) {
                line = Arrays.copyOf(line, Math.min(max, Math.max(line.length * 2, n + chunk)));
            }
            System.arraycopy(buf, start, line, n, chunk);
            n += chunk;
            if (pos < lim) {
                pos++; // the LF
                while (n > 0 && line[n - 1] == '\r') {
                    n--;
                }
                return new String(line, 0, n, StandardCharsets.UTF_8);
            }
        }
    }

    /** Maps an I/O failure during a call to an exception naming the server, and closes the connection. */
    DflockdIOException failure(IOException e) {
        boolean closedByUs = closed;
        closeSocket();
        String what;
        if (closedByUs) {
            what = "connection closed by the client";
        } else if (e instanceof SocketTimeoutException) {
            what = "no reply in time";
        } else if (e instanceof EOFException) {
            what = e.getMessage();
        } else {
            what = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return new DflockdIOException(server, what, e);
    }

    /** EOF where a reply was due. */
    DflockdIOException eof(String request) {
        boolean closedByUs = closed;
        closeSocket();
        return new DflockdIOException(server, (closedByUs ? "connection closed by the client" : "connection closed by server")
                + " while waiting for the reply to " + request + (closedByUs ? "" : tlsHint()));
    }

    /**
     * A TLS server drops a plain-TCP client without a word, before its first reply: say so, since
     * that is the likely cause when nothing was ever answered.
     */
    private String tlsHint() {
        return replied || socket instanceof SSLSocket ? ""
                : " (before any reply: if the server uses TLS, configure the client for TLS)";
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Closes the socket on the application's request; idempotent, callable from any thread,
     * unblocks a pending read.
     */
    @Override
    public void close() {
        closedByClient = true;
        closeSocket();
    }

    /** Whether {@link #close()} was called (as opposed to a close after a failure or by the server). */
    boolean closedByClient() {
        return closedByClient;
    }

    /** Closes the socket after a failure. */
    void closeSocket() {
        closed = true;
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }
}
