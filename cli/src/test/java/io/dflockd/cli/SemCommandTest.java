package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.client.DistributedSemaphore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code dflockctl sem} as a real process against an embedded server. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class SemCommandTest {
    @RegisterExtension
    static final CliServer cli = new CliServer();

    @TempDir
    Path dir;

    @Test
    void twoHoldersOfALimitTwoSemaphoreRunAtTheSameTime() throws Exception {
        String key = TestServer.key("sem2");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        // each command waits for the other's marker: both finish only if both hold a slot at once
        String first = "touch '" + a + "'; while [ ! -f '" + b + "' ]; do sleep 0.05; done";
        String second = "touch '" + b + "'; while [ ! -f '" + a + "' ]; do sleep 0.05; done; exit 4";
        Dflockctl.Running one = cli.start(cli.servers(), "sem", key, "--limit", "2", "--", "sh", "-c", first);
        Dflockctl.Running two = cli.start(cli.servers(), "sem", key, "--limit", "2", "--", "sh", "-c", second);
        assertThat(one.awaitExit().exitCode()).isZero();
        assertThat(two.awaitExit().exitCode()).isEqualTo(4);
        assertThat(Files.exists(a) && Files.exists(b)).isTrue();
    }

    @Test
    void exits75WhenEverySlotIsTaken() {
        String key = TestServer.key("full");
        try (DistributedSemaphore holder = DistributedSemaphore.builder(key, 1).config(TestServer.config(cli.server()))
                .build().acquireOrThrow()) {
            Dflockctl.Result r = Dflockctl.run(cli.servers(), "sem", key, "--limit", "1", "--timeout", "0", "--", "true");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_ACQUIRED);
            assertThat(r.stderrLines()).singleElement().asString()
                    .isEqualTo("dflockctl: semaphore '" + key + "' (limit 1) not acquired within 0s");
            assertThat(holder.isHeld()).isTrue();
        }
    }

    @Test
    void aDifferentLimitIsAServerError() {
        String key = TestServer.key("mismatch");
        try (DistributedSemaphore holder = DistributedSemaphore.builder(key, 3).config(TestServer.config(cli.server()))
                .build().acquireOrThrow()) {
            Dflockctl.Result r = Dflockctl.run(cli.servers(), "sem", key, "--limit", "2", "--", "true");
            assertThat(holder.isHeld()).isTrue();
            assertThat(r.exitCode()).isEqualTo(ExitCodes.SERVER_ERROR);
            assertThat(r.stderrLines()).singleElement().asString().startsWith("dflockctl: ");
        }
    }

    @Test
    void limitIsRequiredAndPositive() {
        Dflockctl.Result missing = Dflockctl.run(cli.servers(), "sem", "k", "--", "true");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.stderrLines()).singleElement().asString().contains("--limit");
        Dflockctl.Result zero = Dflockctl.run(cli.servers(), "sem", "k", "--limit", "0", "--", "true");
        assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.stderrLines()).singleElement().asString().isEqualTo("dflockctl: --limit must be at least 1, got 0");
    }
}
