package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.client.ClientConfig;
import io.dflockd.server.DflockdServer;
import io.dflockd.server.cluster.FollowerMode;
import io.dflockd.server.tls.TestCerts;
import io.dflockd.testing.LocalCluster;
import io.dflockd.testing.RefusedPort;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global options and their environment variables, TLS, auth, sharding, and the error contract:
 * one line on stderr, no stack trace, a documented exit code.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class ConnectionOptionsTest {
    @TempDir
    Path dir;

    private static void assertOneErrorLine(Dflockctl.Result r) {
        assertThat(r.stderrLines()).as(r.stderr()).singleElement().asString().startsWith("dflockctl: ")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aBadFlagValueIsOneLineAndExit2() {
        Dflockctl.Result r = Dflockctl.run("lock", "k", "--timeout", "banana", "--", "true");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertOneErrorLine(r);
        assertThat(r.stderr()).contains("--timeout").contains("'banana' is not a duration");
    }

    @Test
    void badServerListsAndEnvironmentValuesAreUsageErrors() {
        Dflockctl.Result flag = Dflockctl.run("--servers", "host:notaport", "ping");
        assertThat(flag.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertOneErrorLine(flag);
        assertThat(flag.stderr()).contains("--servers");
        Dflockctl.Result env = Dflockctl.run(Map.of("DFLOCKD_CONNECT_TIMEOUT", "soon"), "ping");
        assertThat(env.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertOneErrorLine(env);
        assertThat(env.stderr()).contains("DFLOCKD_CONNECT_TIMEOUT");
        Dflockctl.Result noSubcommand = Dflockctl.run();
        assertThat(noSubcommand.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertOneErrorLine(noSubcommand);
    }

    @Test
    void clusterIsOneClusterAndExcludesServers() throws Exception {
        try (LocalCluster cluster = new LocalCluster(3, dir, Duration.ofSeconds(10), FollowerMode.REDIRECT)) {
            cluster.awaitLeader();
            String members = String.join(",", cluster.clientAddresses());
            // whichever member the client starts at, a redirect takes it to the leader
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Dflockctl.Result r = Dflockctl.run("--cluster", members, "lock", "k", "--timeout", "5s", "--", "true");
                assertThat(r.exitCode()).as(r.stderr()).isZero();
            });
            Dflockctl.Result fromEnv = Dflockctl.run(Map.of("DFLOCKD_CLUSTER", members), "ping");
            assertThat(fromEnv.exitCode()).as(fromEnv.stderr()).isZero();
        }
        Dflockctl.Result both = Dflockctl.run("--servers", "127.0.0.1:6388", "--cluster", "127.0.0.1:6389", "ping");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertOneErrorLine(both);
        assertThat(both.stderr()).contains("--servers and --cluster: give one of the two");
        Dflockctl.Result bothEnv = Dflockctl.run(Map.of("DFLOCKD_SERVERS", "a:1", "DFLOCKD_CLUSTER", "b:2"), "ping");
        assertThat(bothEnv.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bothEnv.stderr()).contains("DFLOCKD_SERVERS and DFLOCKD_CLUSTER: set one of the two");
        Dflockctl.Result bad = Dflockctl.run("--cluster", "host:notaport", "ping");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertOneErrorLine(bad);
        assertThat(bad.stderr()).contains("--cluster: ");
    }

    @Test
    void anUnknownCommandIsNamedWithAHintAndExit2() {
        Dflockctl.Result r = Dflockctl.run("frobnicate");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertOneErrorLine(r);
        assertThat(r.stderr()).startsWith("dflockctl: unknown command 'frobnicate'")
                .contains("(try 'dflockctl --help' for the list of commands)");
        Dflockctl.Result typo = Dflockctl.run("--servers", "127.0.0.1:1", "lok", "k");
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.stderr()).isEqualTo("dflockctl: unknown command 'lok'; did you mean 'lock' or 'rwlock'? "
                + "(try 'dflockctl --help' for the list of commands)\n");
    }

    @Test
    void anUnreachableServerIsOneLineAndExit69() {
        try (RefusedPort refused = new RefusedPort()) {
            String dead = refused.hostPort();
            for (String[] args : new String[][] {{"ping"}, {"stats"}, {"emit", "a.b", "x"}, {"listen", "a.b"},
                {"lock", "k", "--", "true"}}) {
                String[] full = new String[args.length + 1];
                full[0] = "--servers=" + dead;
                System.arraycopy(args, 0, full, 1, args.length);
                Dflockctl.Result r = Dflockctl.run(full);
                assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.UNAVAILABLE);
                assertOneErrorLine(r);
                assertThat(r.stderr()).isEqualTo("dflockctl: " + dead + ": connection refused\n");
            }
        }
    }

    @Test
    void pingPrintsTheRoundTripOfEachServer() {
        DflockdServer a = TestServer.start();
        DflockdServer b = TestServer.start();
        try {
            Dflockctl.Result r = Dflockctl.run("--servers", TestServer.address(a, b), "ping");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).containsPattern("(?m)^127\\.0\\.0\\.1:" + a.port()
                    + ": time=\\d+\\.\\d{3} ms \\(connect \\d+\\.\\d{3} ms\\)$");
            assertThat(r.stdout()).contains("127.0.0.1:" + b.port() + ": time=");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void serversComeFromTheEnvironmentUnlessTheFlagIsGiven() {
        DflockdServer live = TestServer.start();
        RefusedPort refused = new RefusedPort();
        String dead = refused.hostPort();
        try {
            assertThat(Dflockctl.run(Map.of("DFLOCKD_SERVERS", TestServer.address(live)), "ping").exitCode()).isZero();
            // the flag wins over the variable, in either position relative to the subcommand
            assertThat(Dflockctl.run(Map.of("DFLOCKD_SERVERS", dead), "--servers", TestServer.address(live), "ping")
                    .exitCode()).isZero();
            assertThat(Dflockctl.run(Map.of("DFLOCKD_SERVERS", TestServer.address(live)), "ping", "--servers", dead)
                    .exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        } finally {
            refused.close();
            live.close();
        }
    }

    @Test
    void locksAreShardedLikeTheJavaClient() throws Exception {
        DflockdServer a = TestServer.start();
        DflockdServer b = TestServer.start();
        try {
            ClientConfig config = TestServer.config(a, b);
            String key = TestServer.key("shard");
            InetSocketAddress owner = config.serverFor(key);
            DflockdServer expected = owner.getPort() == a.port() ? a : b;
            DflockdServer other = expected == a ? b : a;
            Path go = dir.resolve("go");
            Dflockctl.Running run = Dflockctl.start("--servers", TestServer.address(a, b), "lock", key, "--",
                    "sh", "-c", "while [ ! -f '" + go + "' ]; do sleep 0.05; done");
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> TestServer.lockHeld(expected, key) || !run.isAlive());
                assertThat(TestServer.lockHeld(expected, key)).as(run.stderr()).isTrue();
                assertThat(TestServer.stats(other).lock(key)).isEmpty();
                Files.writeString(go, "go");
                assertThat(run.awaitExit().exitCode()).isZero();
            } finally {
                run.kill();
            }
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void tlsWithACaFileFromTheFlagOrTheEnvironment() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCerts.selfSigned(cert, key, "localhost", "127.0.0.1");
        DflockdServer tls = TestServer.start(b -> b.tlsCert(cert).tlsKey(key));
        try {
            String servers = "--servers=localhost:" + tls.port();
            Dflockctl.Result flag = Dflockctl.run(servers, "--cacert", cert.toString(), "ping");
            assertThat(flag.exitCode()).as(flag.stderr()).isZero();
            Dflockctl.Result env = Dflockctl.run(Map.of("DFLOCKD_CACERT", cert.toString()), servers, "ping");
            assertThat(env.exitCode()).as(env.stderr()).isZero();
            // the JVM's default CAs do not know the self-signed certificate
            Dflockctl.Result untrusted = Dflockctl.run(servers, "--tls", "ping");
            assertThat(untrusted.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertOneErrorLine(untrusted);
            assertThat(untrusted.stderr()).contains("TLS handshake failed");
        } finally {
            tls.close();
        }
    }

    @Test
    void anUnusableCaFileIsExit78() throws Exception {
        Path notPem = dir.resolve("not.pem");
        Files.writeString(notPem, "hello");
        for (Path p : new Path[] {dir.resolve("missing.pem"), notPem}) {
            Dflockctl.Result r = Dflockctl.run("--cacert", p.toString(), "ping");
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.CONFIG);
            assertOneErrorLine(r);
            assertThat(r.stderr()).contains("--cacert");
        }
    }

    @Test
    void authTokenFromAFileOrTheEnvironment() throws Exception {
        DflockdServer auth = TestServer.start(b -> b.authToken("s3cret"));
        try {
            String servers = "--servers=" + TestServer.address(auth);
            Path tokenFile = dir.resolve("token");
            Files.writeString(tokenFile, "s3cret\n");
            assertThat(Dflockctl.run(servers, "--auth-token-file", tokenFile.toString(), "ping").exitCode()).isZero();
            assertThat(Dflockctl.run(Map.of("DFLOCKD_AUTH_TOKEN_FILE", tokenFile.toString()), servers, "ping")
                    .exitCode()).isZero();
            assertThat(Dflockctl.run(Map.of("DFLOCKD_AUTH_TOKEN", "s3cret"), servers, "ping").exitCode()).isZero();
            Dflockctl.Result wrong = Dflockctl.run(Map.of("DFLOCKD_AUTH_TOKEN", "wrong"), servers, "ping");
            assertThat(wrong.exitCode()).isEqualTo(ExitCodes.AUTH_REJECTED);
            assertOneErrorLine(wrong);
            Dflockctl.Result missing = Dflockctl.run(servers, "--auth-token-file", dir.resolve("nope").toString(), "ping");
            assertThat(missing.exitCode()).isEqualTo(ExitCodes.CONFIG);
            assertOneErrorLine(missing);
        } finally {
            auth.close();
        }
    }

    @Test
    void aRejectedTokenReadsTheSameForEverySubcommand() {
        DflockdServer auth = TestServer.start(b -> b.authToken("s3cret"));
        try {
            String servers = "--servers=" + TestServer.address(auth);
            String expected = "dflockctl: " + TestServer.address(auth)
                    + ": authentication failed: wrong or missing auth token (see --auth-token-file)\n";
            for (Map<String, String> env : List.of(Map.of("DFLOCKD_AUTH_TOKEN", "wrong"), Map.<String, String>of())) {
                for (String sub : new String[] {"ping", "stats"}) {
                    Dflockctl.Result r = Dflockctl.run(env, servers, sub);
                    assertThat(r.exitCode()).as(sub + " " + env).isEqualTo(ExitCodes.AUTH_REJECTED);
                    assertThat(r.stderr()).as(sub + " " + env).isEqualTo(expected);
                }
            }
        } finally {
            auth.close();
        }
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : new String[] {"lock", "rwlock", "sem", "elect", "stats", "emit", "listen", "ping", "kv",
            "kv get", "kv set", "kv del", "counter", "counter get", "counter incr", "counter decr", "counter set"}) {
            Dflockctl.Result r = Dflockctl.run((sub + " --help").split(" "));
            assertThat(r.exitCode()).as(sub).isZero();
            assertThat(r.stdout()).startsWith("Usage: dflockctl " + sub)
                    .as("no picocli placeholders such as [=<tls>]").doesNotContainPattern("=<[a-zA-Z]+>");
        }
        Dflockctl.Result top = Dflockctl.run("--help");
        assertThat(top.exitCode()).isZero();
        assertThat(top.stdout()).contains("lock", "rwlock", "sem", "elect", "stats", "emit", "listen", "ping", "kv",
                "counter", "Exit codes")
                .doesNotContainPattern("=<[a-zA-Z]+>");
    }

    @Test
    void versionIsTheProjectVersionOnTheClassPathToo() {
        // Dflockctl runs the classes directory, not the jar: there is no manifest to read it from.
        for (String[] args : new String[][] {{"--version"}, {"lock", "--version"}}) {
            Dflockctl.Result r = Dflockctl.run(args);
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout().strip()).matches("dflockctl \\(dflockd for Java\\) \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        }
    }
}
