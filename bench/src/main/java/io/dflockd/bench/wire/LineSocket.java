package io.dflockd.bench.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A blocking TCP socket that writes whole requests and reads LF-terminated lines into a reused
 * buffer, allocating nothing per line. The building block of the raw client and of raw listeners.
 */
public final class LineSocket implements AutoCloseable {
    private static final int MAX_LINE = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;
    private byte[] line = new byte[256];
    private int lineLength;
    private int partial;
    private final byte[] request = new byte[1024];
    private int requestLength;

    private LineSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects with TCP_NODELAY (as the client library does) and a 10 s connect timeout. */
    public static LineSocket connect(InetSocketAddress server) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            InetSocketAddress target = server.isUnresolved()
                    ? new InetSocketAddress(server.getHostString(), server.getPort()) : server;
            s.connect(target, 10_000);
            return new LineSocket(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Read timeout for the following reads in ms (0 = none); a timeout throws SocketTimeoutException. */
    public void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Starts a new request in the internal buffer. */
    public LineSocket begin() {
        requestLength = 0;
        return this;
    }

    /** Appends ASCII text to the request being built. */
    public LineSocket text(String s) {
        for (int i = 0; i < s.length(); i++) {
            request[requestLength++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** Appends a decimal number. */
    public LineSocket number(long v) {
        return text(Long.toString(v));
    }

    /** Appends one byte (a space or LF). */
    public LineSocket ch(char c) {
        request[requestLength++] = (byte) c;
        return this;
    }

    /** Writes the request built since {@link #begin()} in one write. */
    public void send() throws IOException {
        out.write(request, 0, requestLength);
        out.flush();
    }

    /** Writes arbitrary bytes (pipelined batches). */
    public void write(byte[] bytes, int off, int len) throws IOException {
        out.write(bytes, off, len);
        out.flush();
    }

    /** Reads the next line (LF and trailing CR removed); see {@link #lineLength()} and {@link #lineByte}. */
    public void readLine() throws IOException {
        // A read timeout may interrupt a line half-way; what was read so far is kept in `partial`
        // so the next call resumes the same line instead of losing its start.
        int n = partial;
        while (true) {
            if (pos == lim) {
                partial = n;
                int r = in.read(buf);
                if (r < 0) {
                    throw new EOFException("connection closed by server");
                }
                pos = 0;
                lim = r;
            }
            int start = pos;
            while (pos < lim && buf[pos] != '\n') {
                pos++;
            }
            int chunk = pos - start;
            if (n + chunk > line.length) {
                if (n + chunk > MAX_LINE) {
                    throw new IOException("reply line too long");
                }
                line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, n + chunk));
            }
            System.arraycopy(buf, start, line, n, chunk);
            n += chunk;
            if (pos < lim) {
                pos++;
                while (n > 0 && line[n - 1] == '\r') {
                    n--;
                }
                lineLength = n;
                partial = 0;
                return;
            }
        }
    }

    public int lineLength() {
        return lineLength;
    }

    public byte lineByte(int i) {
        return line[i];
    }

    /** Whether the current line starts with {@code prefix} (ASCII). */
    public boolean lineStartsWith(String prefix) {
        if (lineLength < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the current line is exactly {@code s}. */
    public boolean lineIs(String s) {
        return lineLength == s.length() && lineStartsWith(s);
    }

    /** The current line's bytes {@code [from, lineLength)} as a string (cold paths and tokens). */
    public String lineText(int from) {
        return new String(line, from, lineLength - from, StandardCharsets.ISO_8859_1);
    }

    /** Parses the decimal number that starts at {@code from} and runs to a space or the line end. */
    public long lineNumber(int from) {
        long v = 0;
        int i = from;
        for (; i < lineLength && line[i] != ' '; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException("not a number in reply: " + lineText(0));
            }
            v = v * 10 + d;
        }
        if (i == from) {
            throw new NumberFormatException("missing number in reply: " + lineText(0));
        }
        return v;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
