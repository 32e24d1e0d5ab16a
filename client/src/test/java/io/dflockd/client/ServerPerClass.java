package io.dflockd.client;

import io.dflockd.server.DflockdServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded server for all tests of a class, with a client config pointing at it. Register as
 * {@code @RegisterExtension static final ServerPerClass shared = new ServerPerClass();}; tests keep
 * apart by using fresh keys ({@link TestServers#key}).
 */
final class ServerPerClass implements BeforeAllCallback, AfterAllCallback {
    private DflockdServer server;
    private ClientConfig config;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServers.start();
        config = TestServers.config(server);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    DflockdServer server() {
        return server;
    }

    ClientConfig config() {
        return config;
    }
}
