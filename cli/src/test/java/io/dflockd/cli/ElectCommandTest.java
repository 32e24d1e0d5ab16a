package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.client.DflockdConnection;
import io.dflockd.client.Grant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code dflockctl elect} as a real process against an embedded server. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class ElectCommandTest {
    @RegisterExtension
    static final CliServer cli = new CliServer();

    @TempDir
    Path dir;

    @Test
    void runsTheCommandWhenNobodyLeadsAndResignsAfterwards() {
        String name = TestServer.key("elect-free");
        Dflockctl.Result r = Dflockctl.run(Map.of("X", "led"), cli.servers(), "elect", name, "--", "sh", "-c",
                "echo \"$X $DFLOCKD_KEY $DFLOCKD_FENCE\"");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String[] fields = r.stdout().strip().split(" ");
        assertThat(fields).hasSize(3);
        assertThat(fields[0]).isEqualTo("led");
        assertThat(fields[1]).isEqualTo(name);
        assertThat(Long.parseUnsignedLong(fields[2])).isNotZero();
        try (DflockdConnection c = DflockdConnection.open(TestServer.config(cli.server()))) {
            Grant g = c.elect(name, Duration.ZERO); // resigned on exit: free at once
            c.resign(name, g.token());
        }
    }

    @Test
    void aSecondCandidateExits75WhileTheFirstLeads() throws Exception {
        String name = TestServer.key("elect-busy");
        Path leading = dir.resolve("leading");
        Path done = dir.resolve("done");
        Path ran = dir.resolve("ran");
        Dflockctl.Running first = cli.start(cli.servers(), "elect", name, "--", "sh", "-c",
                "touch '" + leading + "'; while [ ! -f '" + done + "' ]; do sleep 0.05; done; exit 3");
        awaitFile(first, leading);
        Dflockctl.Result refused = Dflockctl.run(cli.servers(), "elect", name, "--timeout", "1s", "--",
                "touch", ran.toString());
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(ExitCodes.NOT_ACQUIRED);
        assertThat(refused.stderrLines()).singleElement().asString()
                .isEqualTo("dflockctl: leadership of election '" + name + "' not acquired within 1s");
        assertThat(ran).doesNotExist();
        Files.createFile(done);
        Dflockctl.Result r = first.awaitExit();
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3); // CMD's status
    }

    @Test
    void exits79AndStopsTheCommandWhenLeadershipIsLost() throws Exception {
        String name = TestServer.key("elect-lost");
        Path tokenFile = dir.resolve("token");
        Dflockctl.Running run = cli.start(cli.servers(), "elect", name, "--lease", "4s", "--", "sh", "-c",
                "echo \"$DFLOCKD_TOKEN\" > '" + tokenFile + ".tmp' && mv '" + tokenFile + ".tmp' '" + tokenFile
                        + "'; trap 'exit 143' TERM; while :; do sleep 0.1; done");
        awaitFile(run, tokenFile);
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        try (DflockdConnection c = DflockdConnection.open(TestServer.config(cli.server()))) {
            c.resign(name, token); // behind its back: the next renewal is refused
        }
        Dflockctl.Result r = run.awaitExit();
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.LEASE_LOST);
        assertThat(r.stderr()).contains("terminating the command");
    }

    private static void awaitFile(Dflockctl.Running run, Path file) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file) || !run.isAlive());
        assertThat(Files.exists(file)).as("dflockctl exited early: %s", run.stderr()).isTrue();
    }
}
