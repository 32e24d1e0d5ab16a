package io.dflockd.server.cluster;

import io.dflockd.server.lock.Outcome;

/**
 * An outcome a replica delivered, as plain values that replicas can be compared on: a grant's token,
 * the seconds of a grant or renewal or the number of a data reply, the text of a value.
 */
record Delivered(SessionKey session, long seq, Outcome.Kind kind, String token, long seconds, String text) {
    static Delivered of(SessionKey s, long seq, Outcome o) {
        boolean grant = o.kind() == Outcome.Kind.GRANTED || o.kind() == Outcome.Kind.ACQUIRED;
        return new Delivered(s, seq, o.kind(), grant ? o.token() : null, o.seconds(), o.text());
    }
}
