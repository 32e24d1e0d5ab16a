package io.dflockd.bench.wire;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A {@link Session} that writes requests straight onto a socket and checks replies byte by byte:
 * the client-side floor, so that what remains is the network stack and the server.
 */
final class RawSession implements Session {
    /** {@code ok <32-hex token> <lease>}: the token starts at index 3 and is 32 bytes long. */
    private static final int TOKEN_AT = 3;
    private static final int TOKEN_LENGTH = 32;

    private final LineSocket io;

    private RawSession(LineSocket io) {
        this.io = io;
    }

    static RawSession open(InetSocketAddress server) throws IOException {
        return new RawSession(LineSocket.connect(server));
    }

    @Override
    public String acquire(String key, long timeoutSeconds, long leaseSeconds) throws IOException {
        io.begin().text("l\n").text(key).ch('\n').number(timeoutSeconds);
        if (leaseSeconds > 0) {
            io.ch(' ').number(leaseSeconds);
        }
        io.ch('\n').send();
        return grant("l " + key);
    }

    @Override
    public String semAcquire(String key, long timeoutSeconds, int limit, long leaseSeconds) throws IOException {
        io.begin().text("sl\n").text(key).ch('\n').number(timeoutSeconds).ch(' ').number(limit);
        if (leaseSeconds > 0) {
            io.ch(' ').number(leaseSeconds);
        }
        io.ch('\n').send();
        return grant("sl " + key);
    }

    private String grant(String what) throws IOException {
        io.readLine();
        if (io.lineStartsWith("ok ") && io.lineLength() > TOKEN_AT + TOKEN_LENGTH) {
            return io.lineText(TOKEN_AT).substring(0, TOKEN_LENGTH);
        }
        if (io.lineIs("timeout")) {
            return null;
        }
        throw new IOException(what + ": unexpected reply " + io.lineText(0));
    }

    @Override
    public void release(String key, String token) throws IOException {
        io.begin().text("r\n").text(key).ch('\n').text(token).ch('\n').send();
        expectOk("r " + key);
    }

    @Override
    public void semRelease(String key, String token) throws IOException {
        io.begin().text("sr\n").text(key).ch('\n').text(token).ch('\n').send();
        expectOk("sr " + key);
    }

    @Override
    public void ping() throws IOException {
        io.begin().text("ping\n_\n_\n").send();
        expectOk("ping");
    }

    @Override
    public long signal(String channel, String payload) throws IOException {
        io.begin().text("signal\n").text(channel).ch('\n').text(payload).ch('\n').send();
        io.readLine();
        if (!io.lineStartsWith("ok ")) {
            throw new IOException("signal: unexpected reply " + io.lineText(0));
        }
        return io.lineNumber(3);
    }

    private void expectOk(String what) throws IOException {
        io.readLine();
        if (!io.lineIs("ok")) {
            throw new IOException(what + ": unexpected reply " + io.lineText(0));
        }
    }

    @Override
    public void close() {
        io.close();
    }
}
