package io.dflockd.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.client.DflockdClient;
import io.dflockd.client.DflockdIOException;
import io.dflockd.client.DistributedLock;
import io.dflockd.client.MaxLocksException;
import io.dflockd.server.DflockdServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code perTest().with(...)}: a fresh server per test with the given settings; stop and restart. */
@Tag("integration") // a real server: not in the quick loop (mvn test -Pquick)
class PerTestServerTest {
    @RegisterExtension
    static final DflockdExtension dflockd = DflockdExtension.perTest()
            .with(b -> b.maxLocks(1).authToken("s3cret"));

    private static DflockdServer previous;

    @RepeatedTest(2)
    void everyTestGetsAFreshServerWithTheSettings(DflockdClient client) {
        DflockdServer now = dflockd.server().server();
        assertThat(now).isNotSameAs(previous);
        previous = now;
        assertThat(now.locks().snapshot()).isEmpty();
        try (DistributedLock a = client.lock("a").acquireOrThrow()) { // the injected config carries the token
            assertThatThrownBy(() -> client.lock("b").acquire()).isInstanceOf(MaxLocksException.class);
        }
    }

    @Test
    void aRestartEndsEveryLeaseAndKeepsTheAddress(EmbeddedDflockd server, DflockdClient client) throws Exception {
        int port = server.port();
        DistributedLock lock = client.lock("r").acquireOrThrow();
        CompletableFuture<Throwable> lost = lock.leaseLost();
        server.restart();
        assertThat(lost.get(10, TimeUnit.SECONDS)).isInstanceOf(DflockdIOException.class);
        assertThat(server.port()).isEqualTo(port);
        assertThat(server.server().locks().snapshot()).isEmpty();
        assertThat(client.lock("r").acquire()).isTrue(); // the same config reaches the new server

        server.stop();
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(() -> client.lock("s").acquire()).isInstanceOf(DflockdIOException.class)
                .hasMessageContaining("connection refused");
    }
}
