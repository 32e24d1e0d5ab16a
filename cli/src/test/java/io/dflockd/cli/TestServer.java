package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdConnection;
import io.dflockd.protocol.Stats;
import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.testing.EmbeddedServers;
import java.time.Duration;
import java.util.function.Consumer;

/** Embedded servers on ephemeral ports, and what the tests ask of them. */
final class TestServer {
    private TestServer() {
    }

    static DflockdServer start() {
        return start(b -> { });
    }

    static DflockdServer start(Consumer<ServerConfig.Builder> custom) {
        return EmbeddedServers.start(custom);
    }

    /** {@code 127.0.0.1:PORT} of the servers, comma-separated, as {@code --servers} takes it. */
    static String address(DflockdServer... servers) {
        StringBuilder s = new StringBuilder();
        for (DflockdServer server : servers) {
            s.append(s.length() == 0 ? "" : ",").append("127.0.0.1:").append(server.port());
        }
        return s.toString();
    }

    static ClientConfig config(DflockdServer... servers) {
        return ClientConfig.builder().servers(address(servers).split(",")).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static Stats stats(DflockdServer server) {
        try (DflockdConnection c = DflockdConnection.open(config(server))) {
            return c.stats();
        }
    }

    static boolean lockHeld(DflockdServer server, String key) {
        return stats(server).lock(key).map(l -> l.ownerConnId() != 0).orElse(false);
    }

    static int listeners(DflockdServer server, String pattern) {
        return stats(server).signalChannels().stream().filter(c -> c.pattern().equals(pattern))
                .mapToInt(Stats.SignalChannelStat::listeners).sum();
    }

    /** A fresh key per test so tests sharing a server never see each other's state. */
    static String key(String prefix) {
        return EmbeddedServers.key(prefix);
    }
}
