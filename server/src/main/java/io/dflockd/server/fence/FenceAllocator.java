package io.dflockd.server.fence;

/** Source of fencing numbers: strictly increasing across all grants of this server. */
public interface FenceAllocator extends AutoCloseable {
    /** The next fence. */
    long next() throws FenceException;

    @Override
    void close();
}
