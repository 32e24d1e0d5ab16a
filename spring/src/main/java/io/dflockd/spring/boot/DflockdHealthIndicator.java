package io.dflockd.spring.boot;

import io.dflockd.client.DflockdClient;
import io.dflockd.client.DflockdConnection;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Pings every server of the client's config over a fresh connection (TLS and auth included): UP when
 * all answer, DOWN when one does not (the keys it owns cannot be locked). Details per server: its
 * round-trip time, or the error.
 */
public class DflockdHealthIndicator implements HealthIndicator {
    private final DflockdClient client;

    public DflockdHealthIndicator(DflockdClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public Health health() {
        if (client.isClosed()) {
            return Health.down().withDetail("client", "closed").build();
        }
        Map<String, Object> servers = new LinkedHashMap<>();
        boolean up = true;
        for (InetSocketAddress server : client.config().servers()) {
            long start = System.nanoTime();
            try (DflockdConnection c = DflockdConnection.open(client.config(), server)) {
                c.ping();
                servers.put(format(server), "up (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
            } catch (RuntimeException e) {
                up = false;
                servers.put(format(server), "down: " + e.getMessage());
            }
        }
        return (up ? Health.up() : Health.down()).withDetail("servers", servers).build();
    }

    private static String format(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
