package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.client.DflockdConnection;
import io.dflockd.client.DistributedLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code dflockctl lock} as a real process against an embedded server. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class LockCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * Lease of the lease-loss tests: short, so the revocation is noticed soon (at the next renewal,
     * every 2 s), but with room for dflockctl's renewals to run late on a loaded machine without
     * the lease expiring before the test revokes it (the revoking release would find no lease).
     */
    private static final String LEASE = "4s";
    @RegisterExtension
    static final CliServer cli = new CliServer();

    @TempDir
    Path dir;

    @Test
    void passesTheCommandsExitStatusThrough() {
        String key = TestServer.key("status");
        Dflockctl.Result r = Dflockctl.run(cli.servers(), "lock", key, "--", "sh", "-c", "exit 7");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(7);
        assertThat(r.stderr()).isEmpty();
        Dflockctl.Result ok = Dflockctl.run(cli.servers(), "lock", key, "--", "true");
        assertThat(ok.exitCode()).isZero();
    }

    @Test
    void theCommandSharesStdinStdoutAndStderr() {
        Dflockctl.Result r = cli.start(cli.servers(), "lock", TestServer.key("io"), "--", "sh", "-c",
                "tr a-z A-Z; echo to-stderr >&2").input("piped through\n").awaitExit();
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("PIPED THROUGH\n");
        assertThat(r.stderr()).isEqualTo("to-stderr\n");
    }

    @Test
    void givesTheCommandItsKeyTokenAndFenceAndReleasesAfterwards() throws Exception {
        String key = TestServer.key("env");
        Dflockctl.Result r = Dflockctl.run(cli.servers(), "lock", key, "--", "sh", "-c",
                "echo \"$DFLOCKD_KEY $DFLOCKD_TOKEN $DFLOCKD_FENCE\"");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String[] fields = r.stdout().strip().split(" ");
        assertThat(fields).hasSize(3);
        assertThat(fields[0]).isEqualTo(key);
        assertThat(fields[1]).isNotBlank();
        assertThat(Long.parseUnsignedLong(fields[2])).isNotZero();
        // released on exit: a try-lock succeeds at once
        try (DistributedLock lock = DistributedLock.builder(key).config(TestServer.config(cli.server()))
                .acquireTimeout(Duration.ZERO).build()) {
            assertThat(lock.acquire()).isTrue();
        }
    }

    @Test
    void exits75WithOneLineWhenTheLockIsNotGrantedInTime() throws Exception {
        String key = TestServer.key("busy");
        Path ran = dir.resolve("ran");
        try (DistributedLock holder = DistributedLock.builder(key).config(TestServer.config(cli.server())).build()
                .acquireOrThrow()) {
            Dflockctl.Result r = Dflockctl.run(cli.servers(), "lock", key, "--timeout", "1s", "--",
                    "touch", ran.toString());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_ACQUIRED);
            assertThat(r.stderrLines()).singleElement().asString()
                    .startsWith("dflockctl: ").contains(key).contains("not acquired within 1s");
            assertThat(ran).doesNotExist();
            assertThat(holder.isHeld()).isTrue();
        }
    }

    @Test
    void concurrentInvocationsNeverInterleave() throws Exception {
        String key = TestServer.key("mutex");
        Path log = dir.resolve("log");
        String critical = "echo start $$ >> '" + log + "'; sleep 0.3; echo end $$ >> '" + log + "'";
        List<Dflockctl.Running> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(cli.start(cli.servers(), "lock", key, "--timeout", "60s", "--", "sh", "-c", critical));
        }
        for (Dflockctl.Running run : runs) {
            Dflockctl.Result r = run.awaitExit();
            assertThat(r.exitCode()).as(r.stderr()).isZero();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(6);
        for (int i = 0; i < lines.size(); i += 2) {
            String pid = lines.get(i).substring("start ".length());
            assertThat(lines.get(i)).startsWith("start ");
            assertThat(lines.get(i + 1)).as("critical sections interleaved: %s", lines).isEqualTo("end " + pid);
        }
    }

    /** The command writes its token to a file so the test can take the lock away from it. */
    private static String tokenThen(Path tokenFile, String rest) {
        return "echo \"$DFLOCKD_TOKEN\" > '" + tokenFile + ".tmp' && mv '" + tokenFile + ".tmp' '" + tokenFile + "'; "
                + rest;
    }

    /** Waits for the command to write {@code file}; fails at once, with dflockctl's stderr, if it exited. */
    private static void awaitFile(Dflockctl.Running run, Path file) {
        await().atMost(WAIT).until(() -> Files.exists(file) || !run.isAlive());
        assertThat(Files.exists(file)).as("dflockctl exited early: %s", run.stderr()).isTrue();
    }

    /** Releases the lock behind the command's back (any connection may release with the token). */
    private void revoke(Dflockctl.Running run, String key, Path tokenFile) throws Exception {
        awaitFile(run, tokenFile);
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        try (DflockdConnection c = DflockdConnection.open(TestServer.config(cli.server()))) {
            c.release(key, token);
        }
    }

    @Test
    void terminatesTheCommandWithSigtermWhenTheLeaseIsLost() throws Exception {
        String key = TestServer.key("lost");
        Path token = dir.resolve("token");
        Path gotTerm = dir.resolve("got-term");
        Dflockctl.Running run = cli.start(cli.servers(), "lock", key, "--lease", LEASE, "--", "sh", "-c",
                tokenThen(token, "trap \"echo TERM > '" + gotTerm + "'; exit 143\" TERM; while :; do sleep 0.1; done"));
        revoke(run, key, token);
        Dflockctl.Result r = run.awaitExit();
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.LEASE_LOST);
        assertThat(Files.readString(gotTerm).strip()).isEqualTo("TERM");
        assertThat(r.stderrLines()).singleElement().asString()
                .startsWith("dflockctl: lease on '" + key + "' lost").contains("terminating the command");
    }

    @Test
    void killsACommandThatIgnoresSigtermAfterTheGracePeriod() throws Exception {
        String key = TestServer.key("stubborn");
        Path token = dir.resolve("token");
        Dflockctl.Running run = cli.start(cli.servers(), "lock", key, "--lease", LEASE, "--kill-after", "500ms", "--",
                "sh", "-c", tokenThen(token, "trap '' TERM; while :; do sleep 0.1; done"));
        revoke(run, key, token);
        Dflockctl.Result r = run.awaitExit();
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.LEASE_LOST);
        assertThat(r.stderr()).contains("SIGKILL after 500ms");
    }

    @Test
    void letsTheCommandFinishWhenToldToIgnoreLeaseLoss() throws Exception {
        String key = TestServer.key("ignore");
        Path token = dir.resolve("token");
        Path go = dir.resolve("go");
        Dflockctl.Running run = cli.start(cli.servers(), "lock", key, "--lease", LEASE, "--on-lease-lost=ignore", "--",
                "sh", "-c", tokenThen(token, "while [ ! -f '" + go + "' ]; do sleep 0.1; done; exit 3"));
        revoke(run, key, token);
        await().atMost(WAIT).until(() -> run.stderr().contains("keeps running"));
        assertThat(run.isAlive()).isTrue();
        Files.writeString(go, "go");
        Dflockctl.Result r = run.awaitExit();
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderrLines()).singleElement().asString().startsWith("dflockctl: warning: lease on '" + key + "' lost");
    }

    @Test
    void stoppingDflockctlStopsTheCommandAndReleasesTheLock() throws Exception {
        String key = TestServer.key("stop");
        Path token = dir.resolve("token");
        Path gotTerm = dir.resolve("got-term");
        Dflockctl.Running run = cli.start(cli.servers(), "lock", key, "--", "sh", "-c",
                tokenThen(token, "trap \"echo TERM > '" + gotTerm + "'; exit 0\" TERM; while :; do sleep 0.1; done"));
        awaitFile(run, token);
        run.terminate();
        run.awaitExit();
        assertThat(Files.readString(gotTerm).strip()).isEqualTo("TERM");
        await().atMost(WAIT).until(() -> !TestServer.lockHeld(cli.server(), key));
    }

    @Test
    void reportsAMissingCommandWith127() {
        Dflockctl.Result r = Dflockctl.run(cli.servers(), "lock", TestServer.key("missing"), "--",
                "no-such-command-" + System.nanoTime());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.COMMAND_NOT_FOUND);
        assertThat(r.stderrLines()).singleElement().asString().startsWith("dflockctl: cannot run 'no-such-command-");
    }

    @Test
    void aCommandWithOptionsNeedsTheDoubleDash() {
        Dflockctl.Result r = Dflockctl.run(cli.servers(), "lock", "k", "sh", "-c", "true");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderrLines()).singleElement().asString().contains("Unknown option: '-c'").contains("--");
    }
}
