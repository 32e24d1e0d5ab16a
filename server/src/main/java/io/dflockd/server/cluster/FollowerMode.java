package io.dflockd.server.cluster;

import java.util.Locale;

/**
 * How a node that does not lead treats lock commands ({@code --follower-mode}, CLUSTER-DESIGN.md §4.2).
 */
public enum FollowerMode {
    /** It serves them: proposes them to the leader and answers once they are applied here. */
    FORWARD,
    /**
     * It answers every lock-family command and {@code barrier} with {@code error_not_leader <leader>},
     * as upstream's cluster does; {@code auth}, {@code ping}, {@code stats} and signals stay local.
     */
    REDIRECT;

    /** The flag's value for this mode, also what {@code stats} shows. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code forward} or {@code redirect}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static FollowerMode parse(String value) {
        for (FollowerMode m : values()) {
            if (m.wire().equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be forward or redirect, got '" + value + "'");
    }
}
