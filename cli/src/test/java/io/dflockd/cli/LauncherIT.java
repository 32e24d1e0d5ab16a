package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dflockd.server.DflockdServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code bin/dflockctl} from the repository root, running the packaged (shaded) jar. */
class LauncherIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static DflockdServer server;

    @BeforeAll
    static void startServer() {
        // A -Dtest=... pattern makes surefire pick this class up before the jar is packaged; the
        // launcher would then run Maven on this very worktree in the middle of the build.
        assumeTrue(Boolean.getBoolean("dflockctl.packaged"), "runs under failsafe, after the jar is packaged");
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome launch(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("bin/dflockctl").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DFLOCKD_"));
        pb.environment().put("DFLOCKD_SERVERS", TestServer.address(server));
        Process p = pb.start();
        p.getOutputStream().close();
        // outputs are small; read them after exit (the pipes' buffers hold them)
        if (!p.waitFor(300, TimeUnit.SECONDS)) { // generous: the launcher may have to build first
            p.destroyForcibly();
            throw new AssertionError("bin/dflockctl did not finish");
        }
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void runsTheJarAgainstTheServerFromTheEnvironment() throws Exception {
        Outcome ping = launch("ping");
        assertThat(ping.exitCode()).as(ping.stderr()).isZero();
        assertThat(ping.stdout()).startsWith(TestServer.address(server) + ": time=");

        Outcome lock = launch("lock", TestServer.key("launcher"), "--", "sh", "-c", "echo held $DFLOCKD_KEY; exit 5");
        assertThat(lock.exitCode()).as(lock.stderr()).isEqualTo(5);
        assertThat(lock.stdout()).startsWith("held launcher-");
    }

    @Test
    void usageErrorsAreOneLineAndExit2() throws Exception {
        Outcome bad = launch("stats", "--no-such-flag");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.stderr().strip().lines().filter(l -> !l.startsWith("dflockctl: building")))
                .singleElement().asString().startsWith("dflockctl: Unknown option");
    }
}
