package io.dflockd.soak;

/**
 * The resource a lock guards: it accepts a write only with a fence at least as high as the highest
 * it has accepted, so a holder whose lease silently expired cannot overwrite its successor's work.
 */
final class FencedResource {
    private long highest;
    private boolean written;

    /** Attempts a write with {@code fence}; returns whether it was accepted. */
    synchronized boolean write(long fence) {
        if (written && Long.compareUnsigned(fence, highest) < 0) {
            return false;
        }
        highest = fence;
        written = true;
        return true;
    }
}
