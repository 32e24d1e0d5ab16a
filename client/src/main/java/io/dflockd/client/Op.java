package io.dflockd.client;

/**
 * Cancellation handle of one asynchronous operation: cancelling closes the connection the operation
 * is blocked on, and a connection attached after cancellation is closed at once.
 */
final class Op {
    private DflockdConnection attached;
    private boolean cancelled;
    private boolean finished;

    /** Registers the connection the operation is about to block on; false (and closed) if cancelled. */
    synchronized boolean attach(DflockdConnection c) {
        if (cancelled) {
            c.close();
            return false;
        }
        attached = c;
        return true;
    }

    /** The operation has returned; a later cancel must not touch its connection. */
    synchronized void finish() {
        finished = true;
        attached = null;
    }

    synchronized void cancel() {
        if (finished) {
            return;
        }
        cancelled = true;
        if (attached != null) {
            attached.close();
        }
    }
}
