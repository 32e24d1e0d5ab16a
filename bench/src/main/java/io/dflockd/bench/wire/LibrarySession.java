package io.dflockd.bench.wire;

import io.dflockd.client.AcquireTimeoutException;
import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdConnection;
import io.dflockd.client.DflockdException;
import io.dflockd.client.Grant;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;

/** A {@link Session} on the Java client's low-level {@link DflockdConnection}: what applications pay. */
final class LibrarySession implements Session {
    private final DflockdConnection conn;

    private LibrarySession(DflockdConnection conn) {
        this.conn = conn;
    }

    static LibrarySession open(ClientConfig config, InetSocketAddress server) throws IOException {
        try {
            return new LibrarySession(DflockdConnection.open(config, server));
        } catch (DflockdException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Duration lease(long seconds) {
        return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    }

    /** The grant's token, or {@code null} when the server answered {@code timeout}. */
    private static String token(Supplier<Grant> acquire) {
        try {
            return acquire.get().token();
        } catch (AcquireTimeoutException e) {
            return null;
        }
    }

    @Override
    public String acquire(String key, long timeoutSeconds, long leaseSeconds) {
        return token(() -> conn.acquire(key, Duration.ofSeconds(timeoutSeconds), lease(leaseSeconds)));
    }

    @Override
    public void release(String key, String token) {
        conn.release(key, token);
    }

    @Override
    public String semAcquire(String key, long timeoutSeconds, int limit, long leaseSeconds) {
        return token(() -> conn.semAcquire(key, Duration.ofSeconds(timeoutSeconds), limit, lease(leaseSeconds)));
    }

    @Override
    public void semRelease(String key, String token) {
        conn.semRelease(key, token);
    }

    @Override
    public String readAcquire(String key, long timeoutSeconds, long leaseSeconds) {
        return token(() -> conn.readAcquire(key, Duration.ofSeconds(timeoutSeconds), lease(leaseSeconds)));
    }

    @Override
    public String writeAcquire(String key, long timeoutSeconds, long leaseSeconds) {
        return token(() -> conn.writeAcquire(key, Duration.ofSeconds(timeoutSeconds), lease(leaseSeconds)));
    }

    @Override
    public void readRelease(String key, String token) {
        conn.readRelease(key, token);
    }

    @Override
    public void writeRelease(String key, String token) {
        conn.writeRelease(key, token);
    }

    @Override
    public void ping() {
        conn.ping();
    }

    @Override
    public long signal(String channel, String payload) {
        return conn.emitSignal(channel, payload);
    }

    @Override
    public void close() {
        conn.close();
    }
}
