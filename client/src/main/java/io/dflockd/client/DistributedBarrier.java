package io.dflockd.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A barrier of a fixed number of parties on the server (PROTOCOL.md §6.20): each {@link #await} is a
 * party arriving (its own connection, so several threads can share one instance); when the last one
 * arrives, every party returns true at once and the barrier is gone, ready for the next round. Made
 * by {@link DflockdClient#barrier(String, int)}.
 *
 * <pre>{@code
 * DistributedBarrier start = client.barrier("batch-7/start", 3);
 * if (start.await(Duration.ofSeconds(30))) {   // in each of the 3 workers
 *     runBatch();
 * }
 * }</pre>
 *
 * <p>The barrier is all or nothing: a party that leaves before the others arrived (its timeout, a
 * lost connection, a cancelled {@link #awaitAsync}) breaks it, and every party waiting returns false.
 * Arriving with another count than the barrier is filling with throws
 * {@link BarrierCountMismatchException}; a new barrier may throw {@link MaxKeysException}.
 */
public final class DistributedBarrier extends KeyedDataObject {
    private final int parties;

    DistributedBarrier(ClientConfig config, String key, int parties) {
        super(config, "barrier", key);
        this.parties = Validate.parties(parties);
    }

    /** How many parties trip the barrier. */
    public int parties() {
        return parties;
    }

    /**
     * Arrives and waits up to {@code timeout} (whole seconds, rounded up) for the other parties.
     *
     * @return true when every party arrived; false when the barrier broke (this party's timeout or another's)
     */
    public boolean await(Duration timeout) {
        return call(d -> d.bwait(key, parties, timeout));
    }

    /** {@link #await} on a worker thread; cancelling the future makes this party leave, which breaks the barrier. */
    public CompletableFuture<Boolean> awaitAsync(Duration timeout) {
        Durations.timeoutSeconds(timeout, "timeout");
        return callAsync(d -> d.bwait(key, parties, timeout));
    }

    @Override
    public String toString() {
        return "DistributedBarrier[" + key + ", " + parties + " parties" + (isClosed() ? ", closed" : "") + "]";
    }
}
