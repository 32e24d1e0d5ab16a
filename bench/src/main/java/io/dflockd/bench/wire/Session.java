package io.dflockd.bench.wire;

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
public interface Session extends AutoCloseable {

    /** {@code l}: the grant's token, or {@code null} when the server answered {@code timeout}. */
    String acquire(String key, long timeoutSeconds, long leaseSeconds) throws IOException;

    /** {@code r}. */
    void release(String key, String token) throws IOException;

    /** {@code sl}: the token, or {@code null} on {@code timeout}. */
    String semAcquire(String key, long timeoutSeconds, int limit, long leaseSeconds) throws IOException;

    /** {@code sr}. */
    void semRelease(String key, String token) throws IOException;

    /** {@code ping}. */
    void ping() throws IOException;

    /** {@code signal}: the delivered count. */
    long signal(String channel, String payload) throws IOException;

    @Override
    void close();
}
