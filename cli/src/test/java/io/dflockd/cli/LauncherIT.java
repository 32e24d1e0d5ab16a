package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.server.DflockdServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code bin/dflockctl} from the repository root: it builds its jar into target-launch and runs it. */
class LauncherIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static DflockdServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start();
        Outcome build = launch("--version"); // builds the jar if it is missing or stale
        assertThat(build.exitCode()).as(build.stderr()).isZero();
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
        assertThat(bad.stderr().strip().lines())
                .singleElement().asString().startsWith("dflockctl: Unknown option");
    }

    @Test
    void staleJarIsRebuiltAloneAndOutsideTarget() throws Exception {
        Map<Path, FileTime> verifyJars = jarsIn("protocol/target", "client/target", "cli/target");
        Files.setLastModifiedTime(ROOT.resolve("cli/target-launch/dflockd-cli.jar"), FileTime.fromMillis(0));

        Outcome rebuilt = launch("--version");
        assertThat(rebuilt.exitCode()).as(rebuilt.stderr()).isZero();
        assertThat(rebuilt.stdout()).startsWith("dflockctl");
        // One line per module: only those dflockctl runs on (the server is a test dependency).
        assertThat(rebuilt.stderr()).contains("dflockctl: sources changed, rebuilding",
                "dflockctl: [2/4] dflockd protocol", "dflockctl: [3/4] dflockd client", "dflockctl: [4/4] dflockctl",
                "dflockctl: built in").doesNotContain("dflockd server");
        // A `mvn verify` of this checkout owns target/: the launcher wrote none of its jars.
        assertThat(jarsIn("protocol/target", "client/target", "cli/target")).isEqualTo(verifyJars);
    }

    private static Map<Path, FileTime> jarsIn(String... dirs) throws IOException {
        Map<Path, FileTime> jars = new TreeMap<>();
        for (String dir : dirs) {
            if (Files.isDirectory(ROOT.resolve(dir))) {
                try (var files = Files.list(ROOT.resolve(dir))) {
                    for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                        jars.put(jar, Files.getLastModifiedTime(jar));
                    }
                }
            }
        }
        return jars;
    }
}
