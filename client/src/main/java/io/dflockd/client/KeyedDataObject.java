package io.dflockd.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A {@link DataObject} of one key: a counter, a list, a barrier, each on the server that owns the key. */
public abstract sealed class KeyedDataObject extends DataObject
        permits DistributedCounter, DistributedQueue, DistributedBarrier {
    final String key;

    /** @param noun what the object is, in messages: "queue" */
    KeyedDataObject(ClientConfig config, String noun, String key) {
        super(config, noun + " '" + Validate.key(key) + "'");
        this.key = key;
    }

    /** The key. */
    public final String key() {
        return key;
    }

    /** {@link #call} on the server of the key. */
    final <T> T call(Function<DataCommands, T> body) {
        return call(key, body);
    }

    /** {@link #callAsync} on the server of the key. */
    final <T> CompletableFuture<T> callAsync(Function<DataCommands, T> body) {
        return callAsync(key, body);
    }
}
