package io.dflockd.client;

import io.dflockd.protocol.FenceToken;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A granted slot: the token that proves ownership and the lease the server set.
 *
 * @param token the 32-hex token; pass it to release and renew
 * @param leaseSeconds the lease TTL in whole seconds as reported by the server
 */
public record Grant(String token, long leaseSeconds) {
    /** The lease as a {@link Duration}. */
    public Duration lease() {
        return Duration.ofSeconds(leaseSeconds);
    }

    /**
     * The fencing token decoded from the token's first 16 hex digits (servers v2.1+; unsigned, compare
     * with {@link Long#compareUnsigned}); empty if the token does not have the 32-hex shape.
     */
    public OptionalLong fence() {
        return fenceOf(token);
    }

    static OptionalLong fenceOf(String token) {
        return FenceToken.isWellFormed(token) ? OptionalLong.of(FenceToken.fence(token)) : OptionalLong.empty();
    }
}
