package io.dflockd.client;

import io.dflockd.protocol.Sharding;

/**
 * Maps a key to the index of the server that owns it. Every process that shares locks must use
 * the same strategy and the same server list in the same order.
 *
 * <p>The default, {@link #crc32()}, is the mapping of every upstream client (PROTOCOL.md §14.2):
 * unsigned CRC-32 of the key's UTF-8 bytes modulo the number of servers, so Java, Python, Go and
 * TypeScript processes agree on the server of every key.
 */
@FunctionalInterface
public interface ShardingStrategy {
    /**
     * @param key the lock or semaphore key
     * @param serverCount the number of configured servers, at least 1
     * @return an index in {@code [0, serverCount)}; anything else makes the lock throw
     *     {@link IllegalStateException}
     */
    int index(String key, int serverCount);

    /** The upstream-compatible CRC-32 strategy (the default). */
    static ShardingStrategy crc32() {
        return Sharding::crc32Index;
    }
}
