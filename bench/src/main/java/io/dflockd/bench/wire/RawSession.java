package io.dflockd.bench.wire;

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
    /** The last acquire sent and its bytes; reused while the arguments stay the same. */
    private Request.Acquire lastAcquire;
    private byte[] acquireBytes;
    private Request.Acquire lastSemAcquire;
    private byte[] semAcquireBytes;
    private final Templates release = new Templates((key, t) -> new Request.Release(key, t, false));
    private final Templates semRelease = new Templates((key, t) -> new Request.Release(key, t, true));
    private final Templates signal = new Templates(Request.Publish::new);

    private RawSession(LineSocket io) {
        this.io = io;
    }

    static RawSession open(InetSocketAddress server) throws IOException {
        return new RawSession(LineSocket.connect(server));
    }

    @Override
    public String acquire(String key, long timeoutSeconds, long leaseSeconds) throws IOException {
        Request.Acquire a = lastAcquire;
        if (a == null || a.timeoutSeconds() != timeoutSeconds || a.leaseSeconds() != leaseSeconds
                || !a.key().equals(key)) {
            a = Request.Acquire.lock(key, timeoutSeconds, leaseSeconds);
            acquireBytes = Wire.encode(a);
            lastAcquire = a;
        }
        io.send(acquireBytes);
        return io.readGrant("l " + key);
    }

    @Override
    public String semAcquire(String key, long timeoutSeconds, int limit, long leaseSeconds) throws IOException {
        Request.Acquire a = lastSemAcquire;
        if (a == null || a.timeoutSeconds() != timeoutSeconds || a.limit() != limit
                || a.leaseSeconds() != leaseSeconds || !a.key().equals(key)) {
            a = Request.Acquire.semaphore(key, timeoutSeconds, limit, leaseSeconds);
            semAcquireBytes = Wire.encode(a);
            lastSemAcquire = a;
        }
        io.send(semAcquireBytes);
        return io.readGrant("sl " + key);
    }

    @Override
    public void release(String key, String token) throws IOException {
        io.send(release.of(key), token);
        io.expect(Status.OK, "r " + key);
    }

    @Override
    public void semRelease(String key, String token) throws IOException {
        io.send(semRelease.of(key), token);
        io.expect(Status.OK, "sr " + key);
    }

    @Override
    public void ping() throws IOException {
        io.send(PING);
        io.expect(Status.OK, "ping");
    }

    @Override
    public long signal(String channel, String payload) throws IOException {
        io.send(signal.of(channel), payload);
        return io.readCount("signal " + channel);
    }

    @Override
    public void close() {
        io.close();
    }

    /** The template of one request kind for the last key used; made again when the key changes. */
    private static final class Templates {
        private final BiFunction<String, String, Request> request;
        private String key;
        private RequestTemplate template;

        Templates(BiFunction<String, String, Request> request) {
            this.request = request;
        }

        RequestTemplate of(String k) {
            if (template == null || !k.equals(key)) {
                template = RequestTemplate.of(field -> request.apply(k, field));
                key = k;
            }
            return template;
        }
    }
}
