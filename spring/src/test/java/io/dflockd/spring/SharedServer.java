package io.dflockd.spring;

import io.dflockd.client.ClientConfig;
import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.testing.EmbeddedServers;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process server for all tests of a class: {@code @RegisterExtension static final
 * SharedServer server = new SharedServer();}. Tests keep apart with fresh keys.
 */
public final class SharedServer implements BeforeAllCallback, AfterAllCallback {
    private final Consumer<ServerConfig.Builder> custom;
    private DflockdServer server;

    public SharedServer() {
        this(b -> { });
    }

    public SharedServer(Consumer<ServerConfig.Builder> custom) {
        this.custom = custom;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = EmbeddedServers.start(custom);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    public int port() {
        return server.port();
    }

    /** A client config for {@code s}. */
    public static ClientConfig configOf(DflockdServer s) {
        return ClientConfig.builder().server("127.0.0.1:" + s.port()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client config for this server. */
    public ClientConfig config() {
        return configOf(server);
    }
}
