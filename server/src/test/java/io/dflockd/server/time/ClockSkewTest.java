package io.dflockd.server.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic of a test clock skew, on exact readings. */
class ClockSkewTest {
    private static final long HOUR = 3_600_000_000_000L;

    @Test
    void anOffsetShiftsBothClocksAndARateScalesTheTimeSinceTheOrigin() {
        ClockSkew skew = new ClockSkew(HOUR, 1.0005, 1_000, 7_000);

        assertThat(skew.monotonic(1_000)).isEqualTo(1_000 + HOUR);
        assertThat(skew.monotonic(1_000 + 2_000_000_000L)).isEqualTo(1_000 + 2_001_000_000L + HOUR);
        assertThat(skew.wall(7_000 + 2_000_000_000L)).isEqualTo(7_000 + 2_001_000_000L + HOUR);
        assertThat(new ClockSkew(-HOUR, 0.9995, 0, 0).monotonic(2_000_000_000L)).isEqualTo(1_999_000_000L - HOUR);
    }

    @Test
    void theEnvironmentSkewIsInEffectOnlyWhenAskedFor() {
        assertThat(ClockSkew.fromEnvironment(Map.of())).isSameAs(ClockSkew.NONE);
        assertThat(ClockSkew.fromEnvironment(Map.of("DFLOCKD_UNSAFE_TEST", "1",
                "DFLOCKD_UNSAFE_TEST_CLOCK_OFFSET_NS", ""))).isSameAs(ClockSkew.NONE);

        ClockSkew ahead = ClockSkew.fromEnvironment(Map.of("DFLOCKD_UNSAFE_TEST", "1",
                "DFLOCKD_UNSAFE_TEST_CLOCK_OFFSET_NS", Long.toString(HOUR)));

        assertThat(ahead.active()).isTrue();
        long before = System.nanoTime();
        long skewed = ahead.monotonic(System.nanoTime());
        assertThat(skewed - HOUR).isBetween(before, System.nanoTime());
    }
}
