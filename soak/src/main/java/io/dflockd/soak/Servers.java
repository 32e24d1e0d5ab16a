package io.dflockd.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongConsumer;

/** The servers a soak runs against: started by the tool (and then restartable) or given to it. */
interface Servers extends AutoCloseable {
    /** Server addresses, in sharding order. */
    List<InetSocketAddress> addresses();

    /** Whether {@link #restart} is possible (the tool started the servers). */
    boolean restartable();

    /**
     * Stops server {@code index} and starts it again on the same port and fence state file. Calls
     * {@code stopping} with the {@link System#nanoTime()} from which the old incarnation's holds may
     * end, before the stop begins: from then on a standalone server may drop its holders and, while it
     * closes connections, even grant their slots to waiters, whose clients read those grants before
     * the stop returns. No grant of it counts as live past that instant. Runs {@code stopped} once the
     * old incarnation is gone, before the new one starts. Cluster nodes have their own faults
     * ({@link ClusterFaults}).
     */
    void restart(int index, LongConsumer stopping, Runnable stopped) throws IOException, InterruptedException;

    /** The server restart number {@code fault} (from 0) takes down: round robin. */
    default int victim(int fault) {
        return fault % addresses().size();
    }

    /** Tells {@code listener} the index of a cluster node each time it catches up from a snapshot. */
    default void onCatchUp(java.util.function.IntConsumer listener) {
    }

    /** The {@code --gc-interval} / {@code --gc-max-idle} the servers run with, in seconds, if known. */
    long gcBoundSeconds();

    @Override
    void close();

    /** Servers the tool does not control (--servers). */
    static Servers external(List<InetSocketAddress> addresses) {
        return new Servers() {
            @Override
            public List<InetSocketAddress> addresses() {
                return addresses;
            }

            @Override
            public boolean restartable() {
                return false;
            }

            @Override
            public void restart(int index, LongConsumer stopping, Runnable stopped) {
                throw new UnsupportedOperationException("external servers cannot be restarted");
            }

            @Override
            public long gcBoundSeconds() {
                return -1;
            }

            @Override
            public void close() {
            }
        };
    }
}
