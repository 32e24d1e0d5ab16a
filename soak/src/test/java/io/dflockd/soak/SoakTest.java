package io.dflockd.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The soak in the suite: two embedded servers with fence state files, one restarted every 10 s,
 * 40 s of chaos, real TCP throughout. Asserts a green verdict and that every kind of work and check
 * actually happened (a soak that did nothing would also be green).
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class SoakTest {
    @Test
    void fortySecondsOfChaosAgainstRestartingServersIsGreen() throws Exception {
        SoakOptions options = SoakOptions.defaults().withEmbedded(2)
                .withTiming(Duration.ofSeconds(40), Duration.ofSeconds(10));

        SoakResult result = SoakRunner.run(options);

        System.out.println(result.summary());
        assertThat(result.violation()).as(result.summary()).isNull();
        assertThat(result.counter("restarts")).isGreaterThanOrEqualTo(2);
        assertThat(result.sum("op.")).isGreaterThan(200);
        for (String op : new String[] {"op.l", "op.sl", "op.e", "op.se", "op.w", "op.r", "op.n",
            "op.abrupt_disconnect", "forced_expiries"}) {
            assertThat(result.counter(op)).as(op).isPositive();
        }
        assertThat(result.counter("outcome.granted")).isPositive();
        assertThat(result.counter("writes.accepted")).isPositive();
        assertThat(result.counter("checks.overlap")).isPositive();
        assertThat(result.counter("checks.fence")).isPositive();
        assertThat(result.counter("checks.fifo_pairs")).isPositive();
        assertThat(result.counter("signals.deliveries_checked")).isPositive();
        assertThat(result.counter("checks.quiesce_servers_clean")).isEqualTo(2);
        assertThat(result.counter("overlaps")).isZero();
    }
}
