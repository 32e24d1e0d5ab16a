package io.dflockd.server.net;

import io.dflockd.protocol.Request;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What the membership commands need (PROTOCOL.md §6.12): the admin token a connection elevates
 * with, and where an elevated connection's changes go.
 *
 * @param token   the admin token's UTF-8 bytes; {@code null} when the commands are off (standalone,
 *                or a cluster node without {@code --admin-token}): every one is answered {@code error}
 * @param changes starts a change; its stage completes when {@code ok} may be answered, exceptionally for {@code error}
 */
public record ClusterAdmin(byte[] token, Function<Request.Membership, CompletionStage<?>> changes) {
    /** The membership commands are off. */
    public static final ClusterAdmin NONE = new ClusterAdmin(null, m -> {
        throw new IllegalStateException("the membership commands are off");
    });

    /** Whether an admin token is configured, i.e. the commands are on. */
    boolean enabled() {
        return token != null;
    }
}
