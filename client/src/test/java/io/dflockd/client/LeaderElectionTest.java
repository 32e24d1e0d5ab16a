package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leader election over real TCP against a real server (PROTOCOL.md §6.15, §7.12). */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class LeaderElectionTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void lowLevelElectAndResign() {
        String k = key("elect-ll");
        try (DflockdConnection a = DflockdConnection.open(shared.config());
                DflockdConnection b = DflockdConnection.open(shared.config())) {
            Grant first = a.elect(k, Duration.ZERO, Duration.ofSeconds(20));
            assertThat(first.leaseSeconds()).isEqualTo(20);
            assertThatThrownBy(() -> b.elect(k, Duration.ZERO)).isInstanceOf(AcquireTimeoutException.class);
            assertThat(a.renew(k, first.token(), Duration.ofSeconds(20))).isEqualTo(20); // a term renews as a lock
            a.resign(k, first.token());
            assertThatThrownBy(() -> a.resign(k, first.token())).isInstanceOf(ServerErrorException.class);
            Grant second = b.elect(k, Duration.ZERO);
            assertThat(Long.compareUnsigned(second.fence().getAsLong(), first.fence().getAsLong())).isPositive();
            b.resign(k, second.token());
        }
    }
}
