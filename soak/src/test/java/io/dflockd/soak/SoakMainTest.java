package io.dflockd.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Command-line handling: bad input is one line on stderr and exit status 2. */
class SoakMainTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--clients | x",
        "--clients | 0",
        "--duration | 10q",
        "--duration | 0",
        "--servers | nohostport",
        "--servers | h:99999",
        "--bogus | 1",
        "--cluster | 2",
        "--cluster | 4",
    })
    void badArgumentsExitWithOneLine(String flag, String value) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = SoakMain.run(new String[] {flag, value});
        } finally {
            System.setErr(old);
        }
        assertThat(rc).isEqualTo(2);
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("dflockd-soak: ").endsWith("\n");
        assertThat(text.strip()).doesNotContain("\n");
    }

    @Test
    void missingValueIsNamed() {
        assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--duration"}))
                .hasMessage("--duration needs a value");
    }

    @Test
    void durationsAndServersParse() {
        SoakOptions o = SoakOptions.parse(new String[] {"--duration", "10m", "--servers", "a:1,b:2",
            "--restart-every", "0"});
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.external()).hasSize(2);
        assertThat(o.restartEvery()).isZero();
    }

    @Test
    void clusterModeParsesAndExcludesTheOtherServerModes() {
        SoakOptions o = SoakOptions.parse(new String[] {"--cluster", "5", "--restart-every", "30s"});
        assertThat(o.cluster()).isEqualTo(5);
        assertThat(o.spawn()).isZero();
        assertThat(o.restartEvery()).isEqualTo(Duration.ofSeconds(30));
        for (String other : new String[] {"--spawn 2", "--embedded", "--servers a:1"}) {
            String[] args = ("--cluster 3 " + other).split(" ");
            assertThatThrownBy(() -> SoakOptions.parse(args))
                    .hasMessage("--cluster excludes --spawn, --embedded and --servers");
        }
    }

    @Test
    void missingServerJarIsAStartupError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(SoakMain.run(new String[] {"--server-jar", "/nonexistent.jar", "--duration", "1s"}))
                    .isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("server jar not found");
    }
}
