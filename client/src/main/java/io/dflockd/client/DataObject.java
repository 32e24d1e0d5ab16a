package io.dflockd.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What {@link DistributedCounter}, {@link DistributedMap}, {@link DistributedQueue} and
 * {@link DistributedBarrier} have in common: they hold no lease, only connections, taken per call
 * from their own pool (see each class for what a call does when several threads share the object).
 * Closing one closes its connections and aborts the calls in progress; what is stored stays on the
 * server.
 */
public abstract sealed class DataObject implements AutoCloseable
        permits DistributedMap, KeyedDataObject {
    final DataConnections connections;

    /** @param name how messages name the object: "queue 'jobs'" */
    DataObject(ClientConfig config, String name) {
        this.connections = new DataConnections(Objects.requireNonNull(config, "config"), name);
    }

    /** One call on a connection to the server of {@code key}. */
    final <T> T call(String key, Function<DataCommands, T> body) {
        return connections.call(key, null, body);
    }

    /**
     * {@link #call} on a worker thread ({@link Op#submit}): the key is checked here, so a bad one throws
     * at the call. Cancelling the future closes the connection the call is on; nothing is undone, as a
     * counter change, an entry write or a barrier arrival has no safe inverse.
     */
    final <T> CompletableFuture<T> callAsync(String key, Function<DataCommands, T> body) {
        Validate.key(key);
        return Op.submit(op -> connections.call(key, op, body), null);
    }

    /** Whether {@link #close()} was called. */
    public final boolean isClosed() {
        return connections.isClosed();
    }

    /** Closes the connections (a blocked call throws {@link DflockdIOException}) and refuses further use; idempotent. */
    @Override
    public final void close() {
        connections.close();
    }
}
