package io.dflockd.bench.wire;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import java.io.IOException;
import java.net.InetSocketAddress;

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
    private final KeyedTemplate release = releases(LockKind.LOCK);
    private final KeyedTemplate semRelease = releases(LockKind.SEMAPHORE);
    private final KeyedTemplate readRelease = releases(LockKind.READ);
    private final KeyedTemplate writeRelease = releases(LockKind.WRITE);
    private final KeyedTemplate signal = new KeyedTemplate(Command.SIGNAL, Request.Publish::new);

    private RawSession(LineSocket io) {
        this.io = io;
    }

    static RawSession open(InetSocketAddress server) throws IOException {
        return new RawSession(LineSocket.connect(server));
    }

    private static KeyedTemplate releases(LockKind kind) {
        return new KeyedTemplate(kind.release(), (key, t) -> new Request.Release(key, t, kind));
    }

    /** Sends the release of {@code token} on {@code key} and expects {@code ok}. */
    private void release(KeyedTemplate template, String key, String token) throws IOException {
        io.send(template.of(key), token);
        io.expect(Status.OK, template.label(key));
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
        release(release, key, token);
    }

    @Override
    public void semRelease(String key, String token) throws IOException {
        release(semRelease, key, token);
    }

    @Override
    public void readRelease(String key, String token) throws IOException {
        release(readRelease, key, token);
    }

    @Override
    public void writeRelease(String key, String token) throws IOException {
        release(writeRelease, key, token);
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
}
