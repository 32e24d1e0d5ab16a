package io.dflockd.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdClient;
import io.dflockd.client.DistributedLock;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @ExtendWith}: one server for the class; injected client, config and server handle. */
@Tag("integration") // a real server: not in the quick loop (mvn test -Pquick)
@ExtendWith(DflockdExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerClassServerTest {
    private static int firstPort;
    private static DflockdClient firstClient;

    @Test
    @Order(1)
    void aLockTakenInOneTestIsSeenByTheServerOfTheNext(EmbeddedDflockd server, DflockdClient client) {
        firstPort = server.port();
        firstClient = client;
        DistributedLock lock = client.lock("kept").acquireOrThrow(); // not closed: the client closes it
        assertThat(lock.isHeld()).isTrue();
        assertThat(server.server().locks().snapshot()).anyMatch(r -> r.key().equals("kept") && r.holders() == 1);
    }

    @Test
    @Order(2)
    void theServerIsTheSameAndTheInjectedClientOfTheLastTestWasClosed(EmbeddedDflockd server, ClientConfig config) {
        assertThat(server.port()).isEqualTo(firstPort);
        assertThat(config.servers().get(0).getPort()).isEqualTo(firstPort);
        assertThat(firstClient.isClosed()).isTrue();
        // closing that client released its lock, on the same server
        try (DistributedLock lock = DistributedLock.builder("kept").config(config)
                .acquireTimeout(Duration.ZERO).build()) {
            assertThat(lock.acquire()).isTrue();
        }
    }
}
