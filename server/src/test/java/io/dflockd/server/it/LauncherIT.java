package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/dflockd} as users run it: a real process, real signals, real exit codes. */
class LauncherIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+)");
    private Process process;
    private Thread reader;
    /** Lines not yet consumed by a wait. */
    private final LinkedBlockingQueue<String> log = new LinkedBlockingQueue<>();
    /** Every line of the current process. */
    private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());

    private Process launch(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("bin/dflockd").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("DFLOCKD_"));
        process = pb.start();
        transcript.clear();
        Process p = process;
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    transcript.add(line);
                    log.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private int awaitPort() throws InterruptedException {
        Matcher m = LISTENING.matcher(awaitLine(LISTENING));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** The first log line from now on that contains a match of {@code p}; the lines before it are consumed. */
    private String awaitLine(Pattern p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String line = log.poll(1, TimeUnit.SECONDS);
            if (line != null && p.matcher(line).find()) {
                return line;
            }
        }
        throw new AssertionError("no log line matching " + p + "; log: " + log);
    }

    /**
     * SIGTERM, as {@code kill PID} sends it. Not {@code Process.destroy()}: that also closes our
     * end of the output pipe, and the lines logged while draining would be lost.
     */
    private void sigterm() {
        process.toHandle().destroy();
    }

    /** The whole output of the process, once it has ended (by itself or by a signal sent before). */
    private String awaitOutput() throws InterruptedException {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000); // until it has read the last line
        log.clear();
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    /** The output of a run that must end by itself with {@code expectedCode}. */
    private String awaitExit(int expectedCode) throws InterruptedException {
        String output = awaitOutput();
        assertThat(process.exitValue()).as(output).isEqualTo(expectedCode);
        return output;
    }

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void servesTheReadmeExampleAndStopsOnSigterm() throws Exception {
        launch("--port", "0");
        int port = awaitPort();
        try (RawPeer w = new RawPeer(port)) {
            assertThat(w.call("l", "k", "5")).matches("ok [0-9a-f]{32} 33");
        }
        sigterm();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isIn(0, 143);
        String output = awaitOutput();
        assertThat(output.substring(output.lastIndexOf('\n') + 1)).as(output)
                .endsWith("INFO DflockdServer: dflockd stopped");
    }

    @Test
    void debugLogsEachRequestAndReplyButNeverTheAuthToken() throws Exception {
        launch("--port", "0", "--debug", "--auth-token", "s3cret-token");
        int port = awaitPort();
        try (RawPeer w = new RawPeer(port)) {
            assertThat(w.call("auth", "_", "s3cret-token")).isEqualTo("ok");
            assertThat(w.call("l", "jobs", "5")).startsWith("ok ");
            assertThat(w.call("auth", "_", "s3cret-token")).isEqualTo("error");
        }
        try (RawPeer w = new RawPeer(port)) { // the token, mistyped as another command, before authenticating
            assertThat(w.call("AUTH", "_", "s3cret-token")).isEqualTo("error_auth");
        }
        awaitLine(Pattern.compile("reply: error_auth"));
        sigterm();
        String output = awaitOutput();
        assertThat(output).contains("request: auth key=\"_\" arg=<redacted>", "reply: ok (to auth key=\"_\")",
                "request: l key=\"jobs\" arg=\"5\"", "reply: ok (to l key=\"jobs\")",
                "request: <unknown command> key=\"_\" arg=<redacted>")
                .doesNotContain("s3cret-token");
    }

    @Test
    void withoutDebugNoRequestIsLogged() throws Exception {
        launch("--port", "0");
        try (RawPeer w = new RawPeer(awaitPort())) {
            assertThat(w.call("ping", "_", "_")).isEqualTo("ok");
        }
        sigterm();
        assertThat(awaitOutput()).contains("dflockd stopped").doesNotContain("request:").doesNotContain("reply:");
    }

    @Test
    void configurationErrorsAreOneLineWithTheirOwnExitCodes() throws Exception {
        launch("--tls-cert", "/nope.crt", "--tls-key", "/nope.key");
        assertThat(awaitExit(78)).isEqualTo("dflockd: --tls-cert: cannot read /nope.crt: no such file");
        launch("--auth-token-file", "/nope");
        assertThat(awaitExit(78)).isEqualTo("dflockd: --auth-token-file: cannot read /nope: no such file");
        launch("--host", "999.1.1.1");
        assertThat(awaitExit(1)).isEqualTo("dflockd: cannot listen on 999.1.1.1:6388: unknown host");
    }

    @Test
    void drainsOnSigterm() throws Exception {
        launch("--port", "0", "--shutdown-timeout", "20");
        int port = awaitPort();
        try (RawPeer holder = new RawPeer(port); RawPeer waiter = new RawPeer(port); RawPeer idle = new RawPeer(port)) {
            String token = holder.call("l", "k", "30").split(" ")[1];
            waiter.send("l", "k", "30");
            assertThat(idle.call("ping", "_", "_")).isEqualTo("ok");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
                try (RawPeer probe = new RawPeer(port)) {
                    return probe.call("stats", "_", "_").contains("\"waiters\":1");
                }
            });
            process.destroy();
            assertThat(waiter.line()).isEqualTo("error_draining");
            assertThat(waiter.closedByServer()).isTrue();
            assertThat(idle.closedByServer()).isTrue();
            // The holder may still finish its work: renew, then release.
            assertThat(holder.call("n", "k", token)).isEqualTo("ok 33");
            assertThat(holder.call("r", "k", token)).isEqualTo("ok");
            assertThat(holder.closedByServer()).isTrue();
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void badFlagExitsWithOneLineNamingIt() throws Exception {
        launch("--port", "lots");
        assertThat(awaitExit(2)).startsWith("dflockd: ").contains("--port", "'dflockd --help'")
                .doesNotContain("Exception").doesNotContain("\n");
    }

    @Test
    void occupiedPortIsAStartupError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            launch("--port", String.valueOf(taken.getLocalPort()));
            assertThat(awaitExit(1)).isEqualTo("dflockd: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use");
        }
    }

    @Test
    void fenceStateFileKeepsFencesIncreasingAcrossRestarts(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("fence.state");
        launch("--port", "0", "--fence-state-file", state.toString());
        String first;
        try (RawPeer w = new RawPeer(awaitPort())) {
            first = w.call("l", "k", "5").split(" ")[1];
        }
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS); // a crash, not a clean stop
        assertThat(Files.size(state)).isIn(32L, 64L);
        log.clear();
        launch("--port", "0", "--fence-state-file", state.toString());
        try (RawPeer w = new RawPeer(awaitPort())) {
            String second = w.call("l", "k", "5").split(" ")[1];
            assertThat(Long.compareUnsigned(io.dflockd.protocol.FenceToken.fence(second),
                    io.dflockd.protocol.FenceToken.fence(first))).isPositive();
        }
    }
}
