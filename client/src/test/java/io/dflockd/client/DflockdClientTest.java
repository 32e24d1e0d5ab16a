package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static io.dflockd.client.TestServers.lockHeld;
import static io.dflockd.client.TestServers.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One shared client object against a real server: what it makes, and what its close() ends. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class DflockdClientTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void everythingItMakesUsesItsConfig() throws Exception {
        String k = key("client");
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            assertThat(client.config()).isSameAs(shared.config());
            try (DistributedLock lock = client.lock(k).acquireOrThrow();
                    DistributedSemaphore sem = client.semaphore(k + "-sem", 2).acquireOrThrow();
                    DistributedLock custom = client.lockBuilder(k).acquireTimeout(Duration.ZERO).build();
                    DflockdConnection c = client.connection(k);
                    SignalConn signals = client.signals()) {
                assertThat(lock.server()).isEqualTo(shared.config().serverFor(k));
                assertThat(custom.acquire()).isFalse(); // try-lock: the option set on the builder applies
                assertThat(sem.isHeld()).isTrue();
                assertThat(c.stats().lock(k)).isPresent();
                signals.listen("client.test");
                assertThat(c.emitSignal("client.test", "hi")).isEqualTo(1);
            }
        }
    }

    @Test
    void closeReleasesWhatIsStillHeldAndRefusesMore() {
        String k = key("close");
        DflockdClient client = DflockdClient.create(shared.config());
        DistributedLock lock = client.lock(k).acquireOrThrow();
        DistributedSemaphore sem = client.semaphore(k + "-sem", 3).acquireOrThrow();
        SignalConn signals = client.signals();
        signals.listen("close.test");
        DflockdConnection raw = client.connection();
        assertThat(lockHeld(shared.server(), k)).isTrue();

        client.close();

        assertThat(client.isClosed()).isTrue();
        assertThat(lock.isHeld()).isFalse();
        assertThat(sem.isHeld()).isFalse();
        assertThat(signals.isConnected()).isFalse();
        assertThat(raw.isOpen()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !lockHeld(shared.server(), k)
                && stats(shared.server()).semaphore(k + "-sem").isEmpty()
                && stats(shared.server()).signalChannels().stream().noneMatch(s -> s.pattern().equals("close.test")));
        assertThatThrownBy(() -> client.lock(k)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(client::connection).isInstanceOf(IllegalStateException.class);
        client.close(); // idempotent
    }

    @Test
    void objectsClosedEarlierAreNotDisturbedAndMayBeForgotten() {
        String k = key("early");
        try (DflockdClient client = DflockdClient.create(shared.config())) {
            DistributedLock first = client.lock(k);
            first.acquireOrThrow();
            first.close();
            DistributedLock second = client.lock(k).acquireOrThrow(); // the key is free again
            assertThat(second.isHeld()).isTrue();
        }
        assertThat(lockHeld(shared.server(), k)).isFalse();
    }
}
