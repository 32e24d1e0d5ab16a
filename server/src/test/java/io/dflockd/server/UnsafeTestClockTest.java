package io.dflockd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The test-only clock skew variables are refused with one line and exit 2 unless asked for properly. */
class UnsafeTestClockTest {
    private static String refusal(Map<String, String> env) {
        CommandLine cl = Main.commandLine(env);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--port", "0");
        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString().lines()).as(err.toString()).hasSize(1);
        return err.toString().strip();
    }

    @Test
    void aSkewWithoutTheUnsafeSwitchIsRefused() {
        assertThat(refusal(Map.of("DFLOCKD_UNSAFE_TEST_CLOCK_OFFSET_NS", "3600000000000"))).isEqualTo(
                "dflockd: DFLOCKD_UNSAFE_TEST_CLOCK_OFFSET_NS is for tests only and needs DFLOCKD_UNSAFE_TEST=1");
        assertThat(refusal(Map.of("DFLOCKD_UNSAFE_TEST_CLOCK_RATE", "1.0005", "DFLOCKD_UNSAFE_TEST", "yes")))
                .isEqualTo("dflockd: DFLOCKD_UNSAFE_TEST_CLOCK_RATE is for tests only and needs DFLOCKD_UNSAFE_TEST=1");
    }

    @Test
    void malformedOrOutOfRangeValuesNameTheVariable() {
        assertThat(refusal(Map.of("DFLOCKD_UNSAFE_TEST", "1", "DFLOCKD_UNSAFE_TEST_CLOCK_RATE", "fast")))
                .isEqualTo("dflockd: DFLOCKD_UNSAFE_TEST_CLOCK_RATE must be a number between 0.5 and 2.0, got 'fast'");
        assertThat(refusal(Map.of("DFLOCKD_UNSAFE_TEST", "1", "DFLOCKD_UNSAFE_TEST_CLOCK_RATE", "0")))
                .startsWith("dflockd: DFLOCKD_UNSAFE_TEST_CLOCK_RATE must be a number between");
        assertThat(refusal(Map.of("DFLOCKD_UNSAFE_TEST", "1", "DFLOCKD_UNSAFE_TEST_CLOCK_OFFSET_NS", "1h")))
                .isEqualTo("dflockd: DFLOCKD_UNSAFE_TEST_CLOCK_OFFSET_NS must be whole nanoseconds between"
                        + " -604800000000000 and 604800000000000, got '1h'");
    }
}
