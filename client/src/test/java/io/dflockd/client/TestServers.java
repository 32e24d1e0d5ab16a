package io.dflockd.client;

import io.dflockd.protocol.Stats;
import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.testing.EmbeddedServers;
import java.time.Duration;
import java.util.function.Consumer;

/** Embedded servers on ephemeral ports for the integration tests, and small helpers around them. */
final class TestServers {
    private TestServers() {
    }

    static DflockdServer start() {
        return start(b -> { });
    }

    static DflockdServer start(Consumer<ServerConfig.Builder> custom) {
        return EmbeddedServers.start(custom);
    }

    static ClientConfig config(DflockdServer... servers) {
        String[] hostPorts = new String[servers.length];
        for (int i = 0; i < servers.length; i++) {
            hostPorts[i] = "127.0.0.1:" + servers[i].port();
        }
        return ClientConfig.builder().servers(hostPorts).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A fresh key per test so tests sharing a server never see each other's state. */
    static String key(String prefix) {
        return EmbeddedServers.key(prefix);
    }

    /** Stats of {@code server} through a short-lived low-level connection. */
    static Stats stats(DflockdServer server) {
        try (DflockdConnection c = DflockdConnection.open(config(server))) {
            return c.stats();
        }
    }

    static int waiters(DflockdServer server, String key) {
        Stats s = stats(server);
        return s.lock(key).map(Stats.LockStat::waiters)
                .or(() -> s.semaphore(key).map(Stats.SemaphoreStat::waiters)).orElse(0);
    }

    static boolean lockHeld(DflockdServer server, String key) {
        return stats(server).lock(key).map(l -> l.ownerConnId() != 0).orElse(false);
    }
}
