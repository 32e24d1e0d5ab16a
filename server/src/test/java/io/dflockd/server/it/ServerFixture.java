package io.dflockd.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import java.io.IOException;
import java.util.function.UnaryOperator;

/** Starts an embedded server on an ephemeral port for one test, and reads its stats. */
final class ServerFixture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final DflockdServer server;

    ServerFixture(UnaryOperator<ServerConfig.Builder> tweak) throws IOException {
        server = DflockdServer.start(tweak.apply(ServerConfig.builder().port(0)).build());
    }

    ServerFixture() throws IOException {
        this(b -> b);
    }

    int port() {
        return server.port();
    }

    RawPeer connect() throws IOException {
        return new RawPeer(port());
    }

    /** The parsed {@code stats} JSON, asked over a fresh connection. */
    JsonNode stats() throws IOException {
        try (RawPeer w = connect()) {
            String reply = w.call("stats", "_", "_");
            if (!reply.startsWith("ok ")) {
                throw new IOException("stats failed: " + reply);
            }
            return JSON.readTree(reply.substring(3));
        }
    }

    /** Waits until the lock {@code key} has {@code n} waiters, as {@code stats} says. */
    void awaitLockWaiters(String key, int n) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            for (JsonNode l : stats().get("locks")) {
                if (l.get("key").asText().equals(key)) {
                    return l.get("waiters").asInt() == n;
                }
            }
            return false;
        });
    }

    @Override
    public void close() {
        server.close();
    }
}
