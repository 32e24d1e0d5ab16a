package io.dflockd.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The default mode of bin/dflockd-soak: the server runs as a child process from its jar and is
 * restarted with SIGKILL, so fences must keep increasing through the fence state file's crash
 * recovery. Needs the packaged server jar (built earlier in the reactor by {@code mvn verify}).
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class ChildServerSoakTest {
    private static final Path SERVER_JAR = Path.of("../server/target/dflockd-server.jar");

    @Test
    void sigkilledChildServerKeepsEveryInvariant() throws Exception {
        assumeTrue(Files.isRegularFile(SERVER_JAR), "server jar not built (run mvn verify from the root)");
        SoakOptions options = SoakOptions.defaults().withChildServers(1, SERVER_JAR)
                .withTiming(Duration.ofSeconds(16), Duration.ofSeconds(5));

        SoakResult result = SoakRunner.run(options);

        System.out.println(result.summary());
        assertThat(result.violation()).as(result.summary()).isNull();
        assertThat(result.counter("restarts")).isGreaterThanOrEqualTo(2);
        assertThat(result.counter("connections.lost_to_restart")).isPositive();
        assertThat(result.counter("checks.fence")).isPositive();
        assertThat(result.counter("checks.quiesce_servers_clean")).isEqualTo(1);
    }
}
