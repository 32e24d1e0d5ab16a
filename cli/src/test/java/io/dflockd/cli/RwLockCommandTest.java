package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.client.DistributedLock;
import io.dflockd.client.DistributedReadWriteLock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code dflockctl rwlock} as a real process against an embedded server. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class RwLockCommandTest {
    @RegisterExtension
    static final CliServer cli = new CliServer();

    @TempDir
    Path dir;

    @Test
    void twoReadersRunAtTheSameTime() {
        String key = TestServer.key("rw-readers");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        // each command waits for the other's marker: both finish only if both hold the read side at once
        String first = "touch '" + a + "'; while [ ! -f '" + b + "' ]; do sleep 0.05; done";
        String second = "touch '" + b + "'; while [ ! -f '" + a + "' ]; do sleep 0.05; done; exit 4";
        Dflockctl.Running one = cli.start(cli.servers(), "rwlock", key, "--read", "--timeout", "60s", "--", "sh", "-c",
                first);
        Dflockctl.Running two = cli.start(cli.servers(), "rwlock", key, "--read", "--timeout", "60s", "--", "sh", "-c",
                second);
        Dflockctl.Result r1 = one.awaitExit();
        assertThat(r1.exitCode()).as(r1.stderr()).isZero();
        assertThat(two.awaitExit().exitCode()).isEqualTo(4);
    }

    @Test
    void aWriterWaitsWhileAReaderHolds() throws Exception {
        String key = TestServer.key("rw-writer");
        Path ran = dir.resolve("ran");
        try (DistributedReadWriteLock held = DistributedReadWriteLock.builder(key).config(TestServer.config(cli.server()))
                .build()) {
            held.reader().acquireOrThrow();
            Dflockctl.Result refused = Dflockctl.run(cli.servers(), "rwlock", key, "--write", "--timeout", "1s", "--",
                    "touch", ran.toString());
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.NOT_ACQUIRED);
            assertThat(refused.stderrLines()).singleElement().asString()
                    .isEqualTo("dflockctl: write lock '" + key + "' not acquired within 1s");
            assertThat(ran).doesNotExist();

            Dflockctl.Running waiting = cli.start(cli.servers(), "rwlock", key, "--write", "--timeout", "60s", "--",
                    "sh", "-c", "echo \"$DFLOCKD_FENCE\" > '" + ran + "'");
            Thread.sleep(2000);
            assertThat(ran).as("the writer runs only once the reader is gone").doesNotExist();
            long readFence = held.reader().fence().getAsLong();
            held.reader().release();
            Dflockctl.Result r = waiting.awaitExit();
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(Long.parseUnsignedLong(Files.readString(ran).strip())).isGreaterThan(readFence);
        }
    }

    @Test
    void aLockKeyIsAServerError() {
        String key = TestServer.key("rw-mismatch");
        try (DistributedLock lock = DistributedLock.builder(key).config(TestServer.config(cli.server())).build()
                .acquireOrThrow()) {
            Dflockctl.Result r = Dflockctl.run(cli.servers(), "rwlock", key, "--read", "--", "true");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.SERVER_ERROR);
            assertThat(r.stderrLines()).singleElement().asString().startsWith("dflockctl: ").contains("rl " + key);
            assertThat(lock.isHeld()).isTrue();
        }
    }

    @Test
    void exactlyOneSideIsAUsageError() {
        for (String[] args : new String[][] {{"rwlock", "k", "--", "true"},
            {"rwlock", "k", "--read", "--write", "--", "true"}}) {
            Dflockctl.Result r = Dflockctl.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(r.stderrLines()).as(String.join(" ", args)).singleElement().asString()
                    .startsWith("dflockctl: ").contains("--read").contains("--write")
                    .endsWith("(try 'dflockctl rwlock --help')");
        }
    }
}
