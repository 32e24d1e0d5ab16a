package io.dflockd.bench.wire;

import io.dflockd.protocol.LockKind;
import java.io.IOException;

/**
 * One benchmark connection to one server, with the handful of calls the workloads need. Two
 * implementations exist so the tool can show what the client library costs: {@link LibrarySession}
 * goes through {@code DflockdConnection}, as applications do; {@link RawSession} writes pre-encoded
 * requests on a plain socket.
 *
 * <p>Timeouts and leases are whole seconds, as on the wire; a lease of 0 means the server default.
 * Any reply other than the expected one throws, and the workload counts it as an error.
 */
public interface Session extends Connection {

    /** {@code l}: the grant's token, or {@code null} when the server answered {@code timeout}. */
    String acquire(String key, long timeoutSeconds, long leaseSeconds) throws IOException;

    /** {@code r}. */
    void release(String key, String token) throws IOException;

    /** {@code sl}: the token, or {@code null} on {@code timeout}. */
    String semAcquire(String key, long timeoutSeconds, int limit, long leaseSeconds) throws IOException;

    /** {@code sr}. */
    void semRelease(String key, String token) throws IOException;

    /** {@code rl}: the read grant's token, or {@code null} on {@code timeout}. */
    String readAcquire(String key, long timeoutSeconds, long leaseSeconds) throws IOException;

    /** {@code wl}: the write grant's token, or {@code null} on {@code timeout}. */
    String writeAcquire(String key, long timeoutSeconds, long leaseSeconds) throws IOException;

    /** {@code rr}. */
    void readRelease(String key, String token) throws IOException;

    /** {@code wr}. */
    void writeRelease(String key, String token) throws IOException;

    /**
     * The acquire of {@code kind}: {@code l}, {@code sl} (with {@code limit}; ignored otherwise),
     * {@code rl} or {@code wl}.
     */
    default String acquire(LockKind kind, String key, long timeoutSeconds, int limit, long leaseSeconds)
            throws IOException {
        return switch (kind) {
            case LOCK -> acquire(key, timeoutSeconds, leaseSeconds);
            case SEMAPHORE -> semAcquire(key, timeoutSeconds, limit, leaseSeconds);
            case READ -> readAcquire(key, timeoutSeconds, leaseSeconds);
            case WRITE -> writeAcquire(key, timeoutSeconds, leaseSeconds);
        };
    }

    /** The release of {@code kind}: {@code r}, {@code sr}, {@code rr} or {@code wr}. */
    default void release(LockKind kind, String key, String token) throws IOException {
        switch (kind) {
            case LOCK -> release(key, token);
            case SEMAPHORE -> semRelease(key, token);
            case READ -> readRelease(key, token);
            case WRITE -> writeRelease(key, token);
        }
    }

    /** {@code ping}. */
    void ping() throws IOException;

    /** {@code signal}: the delivered count. */
    long signal(String channel, String payload) throws IOException;
}
