package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The low-level data calls of one connection ({@code connection.data()}) over real TCP. */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class DataCommandsTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void oneConnectionRunsEveryDataCommandAndStaysUsableAfterARefusal() {
        String k = key("ll");
        try (DflockdConnection c = DflockdConnection.open(shared.config())) {
            DataCommands d = c.data();
            assertThat(d.incr(k, 5)).isEqualTo(5);
            assertThat(d.decr(k, 7)).isEqualTo(-2);
            d.cset(k, Long.MAX_VALUE);
            assertThatThrownBy(() -> d.incr(k, 1)).isInstanceOf(ServerErrorException.class);
            d.cset(k, 9);
            assertThat(d.get(k)).isEqualTo(9);

            assertThat(d.kcas(k, null, "v1", null)).isTrue(); // the same key: another namespace
            assertThat(d.kcas(k, null, "v2", null)).isFalse();
            d.kset(k, "v3", Duration.ofMinutes(1));
            assertThat(d.kget(k)).contains("v3");
            d.kdel(k);
            assertThat(d.kget(k)).isEmpty();

            assertThat(d.rpush(k, "b")).isEqualTo(1);
            assertThat(d.lpush(k, "a")).isEqualTo(2);
            assertThat(d.llen(k)).isEqualTo(2);
            assertThat(d.lrange(k, 0, -1)).containsExactly("a", "b");
            assertThat(d.brpop(k, Duration.ZERO)).contains("b");
            assertThat(d.blpop(k, Duration.ZERO)).contains("a");
            assertThat(d.lpop(k)).isEmpty();
            assertThat(d.rpop(k)).isEmpty();

            assertThat(d.bwait(k, 1, Duration.ZERO)).isTrue(); // one party: trips as it arrives
            assertThat(d.get(k)).isEqualTo(9);
            assertThat(c.isOpen()).isTrue();
        }
    }
}
