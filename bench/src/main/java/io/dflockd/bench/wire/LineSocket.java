package io.dflockd.bench.wire;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Status;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A blocking TCP socket that writes whole requests and reads LF-terminated lines into a reused
 * buffer, allocating nothing per line. The building block of the raw client. It writes only bytes
 * the protocol codec produced ({@link Wire#encode}, {@link RequestTemplate}) and reads replies with
 * the codec ({@link #reply}) or with the checks of {@link ReplyBytes} that agree with it.
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
    private byte[] request = new byte[1024];

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

    /** Writes one request the codec encoded ({@link Wire#encode}, or bytes kept from it) in one write. */
    public void send(byte[] request) throws IOException {
        write(request, 0, request.length);
    }

    /** Writes {@code template} with {@code field} in one write, through a reused buffer. */
    public void send(RequestTemplate template, CharSequence field) throws IOException {
        int n = template.length(field.length());
        if (n > request.length) {
            request = new byte[Math.max(n, request.length * 2)];
        }
        template.writeTo(request, 0, field);
        write(request, 0, n);
    }

    /** Writes arbitrary bytes (pipelined batches). */
    public void write(byte[] bytes, int off, int len) throws IOException {
        out.write(bytes, off, len);
        out.flush();
    }

    /** Reads the next line (LF and trailing CRs removed) into the reused buffer; see {@link #reply}. */
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

    /** The current line's bytes {@code [from, lineLength)} as a string, one char per byte (cold paths). */
    public String lineText(int from) {
        return lineText(from, lineLength);
    }

    /** The current line's bytes {@code [from, to)} as a string, one char per byte. */
    public String lineText(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The current line as the codec reads it (allocates: cold paths and unexpected replies). */
    public Reply reply() throws IOException {
        return Wire.parse(lineText(0));
    }

    /** Reads a reply that must be the bare {@code status} (e.g. {@code ok} to a release or ping). */
    public void expect(Status status, String what) throws IOException {
        readLine();
        if (!ReplyBytes.isBare(line, 0, lineLength, status)) {
            throw unexpected(what, reply());
        }
    }

    /**
     * Reads the reply to an acquire: the token of {@code ok <token> <lease> [<fence>]}, or {@code null}
     * for {@code timeout}. Anything else throws.
     */
    public String readGrant(String what) throws IOException {
        readLine();
        int end = ReplyBytes.grantedTokenEnd(line, 0, lineLength);
        if (end > 0) {
            return lineText(ReplyBytes.TOKEN_START, end);
        }
        if (ReplyBytes.isBare(line, 0, lineLength, Status.TIMEOUT)) {
            return null;
        }
        Reply r = reply(); // shapes the fast check leaves to the codec, e.g. a 19-digit lease
        if (r instanceof Reply.Granted g && g.status() == Status.OK) {
            return g.token();
        }
        if (r instanceof Reply.Bare b && b.status() == Status.TIMEOUT) {
            return null;
        }
        throw unexpected(what, r);
    }

    /** Reads an {@code ok <n>} reply (a signal's delivery count) and returns n. */
    public long readCount(String what) throws IOException {
        readLine();
        long n = ReplyBytes.okCount(line, 0, lineLength);
        if (n >= 0) {
            return n;
        }
        Reply r = reply();
        if (r instanceof Reply.Numeric num) {
            return num.value();
        }
        throw unexpected(what, r);
    }

    private static IOException unexpected(String what, Reply r) {
        return new IOException(what + ": unexpected reply " + r.encode());
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
