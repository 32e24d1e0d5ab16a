package io.dflockd.client;

import java.util.Objects;
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
