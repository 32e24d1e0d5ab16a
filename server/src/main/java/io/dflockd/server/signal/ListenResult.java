package io.dflockd.server.signal;

/** Outcome of {@link SignalRouter#listen}. */
public enum ListenResult {
    /** The subscription is active (or already was: a duplicate listen is a no-op). */
    OK,
    /** The connection already holds {@code --max-subscriptions} subscriptions. */
    CAP_REACHED
}
