package io.dflockd.server.cluster;

import java.util.List;

/**
 * A committed log entry as the state machine applies it: the commands one node proposed together,
 * with the stamps the leader put on them when it accepted the proposal. Apply reads time and
 * randomness only from here (CLUSTER-DESIGN.md §2.3).
 *
 * @param stampNanos the leader's monotonic clock ({@link System#nanoTime()}) when it accepted the batch
 * @param wallNanos  the leader's wall clock in Unix nanoseconds (seeds the fence counter, nothing else)
 * @param saltSeed   64 random bits from the leader's CSPRNG, from which the tokens' salts derive
 * @param commands   the batch, in proposal order
 */
record ClusterEntry(long stampNanos, long wallNanos, long saltSeed, List<ClusterCommand> commands) {
    ClusterEntry {
        commands = List.copyOf(commands);
    }
}
