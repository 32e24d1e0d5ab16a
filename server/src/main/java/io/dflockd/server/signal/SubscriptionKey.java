package io.dflockd.server.signal;

/**
 * What a connection subscribed to: a pattern plus a group name ({@code ""} for ungrouped). Two
 * listens with equal keys on one connection are the same subscription (PROTOCOL.md §9.2).
 */
record SubscriptionKey(String pattern, String group) {

    boolean grouped() {
        return !group.isEmpty();
    }
}
