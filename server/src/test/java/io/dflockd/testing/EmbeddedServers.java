package io.dflockd.testing;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.function.Consumer;

/** In-JVM servers on ephemeral loopback ports for the client and cli tests (via the server test jar). */
public final class EmbeddedServers {
    private EmbeddedServers() {
    }

    /** A server on 127.0.0.1 and a free port, with the defaults changed by {@code custom}. */
    public static DflockdServer start(Consumer<ServerConfig.Builder> custom) {
        ServerConfig.Builder b = ServerConfig.builder().host("127.0.0.1").port(0);
        custom.accept(b);
        try {
            return DflockdServer.start(b.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh key per test so tests sharing a server never see each other's state. */
    public static String key(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
