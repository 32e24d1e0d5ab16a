package io.dflockd.spring.boot;

import io.dflockd.client.ClientConfig;

/**
 * Changes the auto-configured client's {@link ClientConfig} after the {@code dflockd.*} properties
 * are applied (a sharding strategy, an SSLContext of your own …). Declare it as a bean.
 */
@FunctionalInterface
public interface DflockdClientConfigCustomizer {
    void customize(ClientConfig.Builder builder);
}
