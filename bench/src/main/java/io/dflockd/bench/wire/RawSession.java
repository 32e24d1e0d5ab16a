package io.dflockd.bench.wire;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BiFunction;

/**
 * A {@link Session} that writes requests straight onto a socket and checks replies in place: the
 * client-side floor, so that what remains is the network stack and the server.
 *
 * <p>Every byte sent comes from the protocol codec. A workload keeps its key (and timeout and lease)
 * across rounds, so the acquire is encoded once and resent, and a release is the codec's bytes around
 * the token ({@link RequestTemplate}); both are re-made only when the arguments change. Replies are
 * read by {@link LineSocket}'s checks, which agree with {@code Reply.parse}.
 */
final class RawSession implements Session {
    private static final byte[] PING = Wire.encode(new Request.Ping());

    private final LineSocket io;
    private final Acquires lockAcquire = new Acquires(LockKind.LOCK);
    private final Acquires semAcquire = new Acquires(LockKind.SEMAPHORE);
    private final Acquires readAcquire = new Acquires(LockKind.READ);
    private final Acquires writeAcquire = new Acquires(LockKind.WRITE);
    private final Templates release = releases(LockKind.LOCK);
    private final Templates semRelease = releases(LockKind.SEMAPHORE);
    private final Templates readRelease = releases(LockKind.READ);
    private final Templates writeRelease = releases(LockKind.WRITE);
    private final Templates signal = new Templates(Command.SIGNAL, Request.Publish::new);

    private RawSession(LineSocket io) {
        this.io = io;
    }

    static RawSession open(InetSocketAddress server) throws IOException {
        return new RawSession(LineSocket.connect(server));
    }

    private static Templates releases(LockKind kind) {
        return new Templates(kind.release(), (key, t) -> new Request.Release(key, t, kind));
    }

    @Override
    public String acquire(String key, long timeoutSeconds, long leaseSeconds) throws IOException {
        return lockAcquire.send(io, key, timeoutSeconds, 1, leaseSeconds);
    }

    @Override
    public String semAcquire(String key, long timeoutSeconds, int limit, long leaseSeconds) throws IOException {
        return semAcquire.send(io, key, timeoutSeconds, limit, leaseSeconds);
    }

    @Override
    public String readAcquire(String key, long timeoutSeconds, long leaseSeconds) throws IOException {
        return readAcquire.send(io, key, timeoutSeconds, 0, leaseSeconds);
    }

    @Override
    public String writeAcquire(String key, long timeoutSeconds, long leaseSeconds) throws IOException {
        return writeAcquire.send(io, key, timeoutSeconds, 0, leaseSeconds);
    }

    @Override
    public void release(String key, String token) throws IOException {
        release.release(io, key, token);
    }

    @Override
    public void semRelease(String key, String token) throws IOException {
        semRelease.release(io, key, token);
    }

    @Override
    public void readRelease(String key, String token) throws IOException {
        readRelease.release(io, key, token);
    }

    @Override
    public void writeRelease(String key, String token) throws IOException {
        writeRelease.release(io, key, token);
    }

    @Override
    public void ping() throws IOException {
        io.send(PING);
        io.expect(Status.OK, "ping");
    }

    @Override
    public long signal(String channel, String payload) throws IOException {
        io.send(signal.of(channel), payload);
        return io.readCount(signal.label(channel));
    }

    @Override
    public void close() {
        io.close();
    }

    /**
     * One kind's acquire, encoded for the last arguments used and re-sent while they stay the same
     * (the limit counts for a semaphore only).
     */
    private static final class Acquires {
        private final LockKind kind;
        private Request.Acquire last;
        private byte[] bytes;

        Acquires(LockKind kind) {
            this.kind = kind;
        }

        String send(LineSocket io, String key, long timeoutSeconds, int limit, long leaseSeconds) throws IOException {
            Request.Acquire a = last;
            if (a == null || a.timeoutSeconds() != timeoutSeconds || a.leaseSeconds() != leaseSeconds
                    || (kind == LockKind.SEMAPHORE && a.limit() != limit) || !a.key().equals(key)) {
                a = switch (kind) {
                    case LOCK -> Request.Acquire.lock(key, timeoutSeconds, leaseSeconds);
                    case SEMAPHORE -> Request.Acquire.semaphore(key, timeoutSeconds, limit, leaseSeconds);
                    case READ, WRITE -> Request.Acquire.readWrite(kind, key, timeoutSeconds, leaseSeconds);
                };
                bytes = Wire.encode(a);
                last = a;
            }
            io.send(bytes);
            return io.readGrant(a.command().wire() + " " + key);
        }
    }

    /** The template of one request kind for the last key used; made again when the key changes. */
    private static final class Templates {
        private final Command command;
        private final BiFunction<String, String, Request> request;
        private String key;
        private RequestTemplate template;

        Templates(Command command, BiFunction<String, String, Request> request) {
            this.command = command;
            this.request = request;
        }

        RequestTemplate of(String k) {
            if (template == null || !k.equals(key)) {
                template = RequestTemplate.of(field -> request.apply(k, field));
                key = k;
            }
            return template;
        }

        /** {@code "<command> <key>"}, naming the request in an error. */
        String label(String k) {
            return command.wire() + " " + k;
        }

        /** Sends the release of {@code token} on {@code k} and expects {@code ok}. */
        void release(LineSocket io, String k, String token) throws IOException {
            io.send(of(k), token);
            io.expect(Status.OK, label(k));
        }
    }
}
