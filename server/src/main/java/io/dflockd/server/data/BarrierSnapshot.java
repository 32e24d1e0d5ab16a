package io.dflockd.server.data;

/**
 * One barrier still filling, for {@code stats} (PROTOCOL.md §10 {@code barriers}).
 *
 * @param key          the barrier's key
 * @param count        the parties it waits for
 * @param participants the parties waiting now
 * @param idleNanos    time since the last party arrived
 */
public record BarrierSnapshot(String key, int count, int participants, long idleNanos) {
}
