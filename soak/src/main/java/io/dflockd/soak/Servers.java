package io.dflockd.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/** The servers a soak runs against: started by the tool (and then restartable) or given to it. */
interface Servers extends AutoCloseable {
    /** Server addresses, in sharding order. */
    List<InetSocketAddress> addresses();

    /** Whether {@link #restart} is possible (the tool started the servers). */
    boolean restartable();

    /**
     * Stops server {@code index} and starts it again on the same port and fence state file; calls
     * {@code died} with the {@link System#nanoTime()} from which the old incarnation's holds may end:
     * for a standalone server the instant just before the stop began (from then on it may drop its
     * holders and, while it closes connections, even grant their slots to waiters). No grant of it
     * counts as live past that. Cluster nodes have their own faults ({@link ClusterFaults}).
     */
    void restart(int index, java.util.function.LongConsumer died) throws IOException, InterruptedException;

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
            public void restart(int index, java.util.function.LongConsumer died) {
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
