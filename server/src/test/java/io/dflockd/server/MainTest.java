package io.dflockd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flag / environment / default precedence and validation (PROTOCOL.md §12). */
class MainTest {
    private final Map<String, String> env = new HashMap<>();

    private ServerConfig parse(String... args) throws Exception {
        return Main.parseConfig(args, env);
    }

    @Test
    void defaultsMatchUpstream() throws Exception {
        ServerConfig c = parse();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(6388);
        assertThat(c.defaultLeaseTtlSeconds()).isEqualTo(33);
        assertThat(c.readTimeoutSeconds()).isEqualTo(23);
        assertThat(c.writeTimeoutSeconds()).isEqualTo(5);
        assertThat(c.shutdownTimeoutSeconds()).isEqualTo(30);
        assertThat(c.gcIntervalSeconds()).isEqualTo(5);
        assertThat(c.gcMaxIdleSeconds()).isEqualTo(60);
        assertThat(c.maxLocks()).isEqualTo(1024);
        assertThat(c.maxWaiters()).isZero();
        assertThat(c.autoReleaseOnDisconnect()).isTrue();
        assertThat(c.authToken()).isNull();
        assertThat(c.tls()).isFalse();
    }

    @Test
    void flagBeatsEnvironmentBeatsDefault() throws Exception {
        env.put("DFLOCKD_PORT", "7000");
        env.put("DFLOCKD_MAX_LOCKS", "");
        assertThat(parse().port()).isEqualTo(7000);
        assertThat(parse().maxLocks()).as("empty variable counts as unset").isEqualTo(1024);
        assertThat(parse("--port", "7001").port()).isEqualTo(7001);
        assertThat(parse("-port", "7002").port()).as("Go single-dash form").isEqualTo(7002);
        assertThat(parse("--port=7003").port()).isEqualTo(7003);
    }

    @Test
    void booleansTakeEveryUpstreamSpelling() throws Exception {
        env.put("DFLOCKD_AUTO_RELEASE_ON_DISCONNECT", "No");
        assertThat(parse().autoReleaseOnDisconnect()).isFalse();
        assertThat(parse("--auto-release-on-disconnect").autoReleaseOnDisconnect()).isTrue();
        env.put("DFLOCKD_AUTO_RELEASE_ON_DISCONNECT", "1");
        assertThat(parse("--auto-release-on-disconnect=false").autoReleaseOnDisconnect()).isFalse();
        assertThat(parse("--no-auto-release-on-disconnect").autoReleaseOnDisconnect()).isFalse();
    }

    @Test
    void legacyGcVariablesWorkButTheNewNamesWin() throws Exception {
        env.put("DFLOCKD_GC_LOOP_SLEEP", "9");
        env.put("DFLOCKD_GC_MAX_UNUSED_TIME", "90");
        assertThat(parse().gcIntervalSeconds()).isEqualTo(9);
        assertThat(parse().gcMaxIdleSeconds()).isEqualTo(90);
        env.put("DFLOCKD_GC_INTERVAL_S", "3");
        env.put("DFLOCKD_GC_MAX_IDLE_S", "0");
        assertThat(parse().gcIntervalSeconds()).isEqualTo(3);
        assertThat(parse().gcMaxIdleSeconds()).isZero();
    }

    @Test
    void malformedValuesNameTheirSource() {
        env.put("DFLOCKD_READ_TIMEOUT_S", "soon");
        assertThatThrownBy(this::parse).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("DFLOCKD_READ_TIMEOUT_S").hasMessageContaining("--read-timeout");
        env.clear();
        env.put("DFLOCKD_DEBUG", "maybe");
        assertThatThrownBy(this::parse).hasMessageContaining("DFLOCKD_DEBUG");
        assertThatThrownBy(() -> parse("--port", "x")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--port");
        assertThatThrownBy(() -> parse("--bogus")).isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void outOfRangeValuesNameTheFlag() {
        assertThatThrownBy(() -> parse("--port", "70000")).hasMessageContaining("--port");
        assertThatThrownBy(() -> parse("--default-lease-ttl", "0")).hasMessageContaining("--default-lease-ttl");
        assertThatThrownBy(() -> parse("--read-timeout", "9223372037")).hasMessageContaining("--read-timeout");
        assertThatThrownBy(() -> parse("--max-locks", "0")).hasMessageContaining("--max-locks");
        assertThatThrownBy(() -> parse("--max-waiters", "-1")).hasMessageContaining("--max-waiters");
        assertThatThrownBy(() -> parse("--tls-cert", "c.pem")).hasMessageContaining("--tls-key");
    }

    @Test
    void authTokenPrecedenceIsFlagFileFlagEnvEnvFile(@TempDir Path dir) throws Exception {
        Path flagFile = dir.resolve("flag-token");
        Files.writeString(flagFile, "  from-flag-file \n");
        Path envFile = dir.resolve("env-token");
        Files.writeString(envFile, "from-env-file\n");
        env.put("DFLOCKD_AUTH_TOKEN_FILE", envFile.toString());
        assertThat(parse().authToken()).isEqualTo("from-env-file");
        env.put("DFLOCKD_AUTH_TOKEN", " from-env ");
        assertThat(parse().authToken()).isEqualTo("from-env");
        assertThat(parse("--auth-token-file", flagFile.toString()).authToken()).isEqualTo("from-flag-file");
        assertThat(parse("--auth-token-file", flagFile.toString(), "--auth-token", "from-flag").authToken())
                .isEqualTo("from-flag");
    }

    @Test
    void badAuthTokensStopStartUp(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "   \n");
        assertThatThrownBy(() -> parse("--auth-token-file", empty.toString())).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("--auth-token-file", dir.resolve("missing").toString()))
                .hasMessageContaining("--auth-token-file").hasMessageContaining("cannot read");
        Path twoLines = dir.resolve("two");
        Files.writeString(twoLines, "a\nb\n");
        assertThatThrownBy(() -> parse("--auth-token-file", twoLines.toString())).hasMessageContaining("single line");
    }

    @Test
    void helpListsEveryFlag() {
        String help = Main.commandLine(env).getUsageMessage();
        for (String flag : new String[] {"--host", "--port", "--default-lease-ttl", "--lease-sweep-interval",
            "--gc-interval", "--gc-max-idle", "--max-locks", "--max-waiters", "--max-connections",
            "--max-connections-per-ip", "--max-subscriptions", "--read-timeout", "--write-timeout",
            "--shutdown-timeout", "auto-release-on-disconnect", "--fence-state-file", "--tls-cert", "--tls-key",
            "--tls-client-ca", "--auth-token", "--auth-token-file", "--debug", "--version"}) {
            assertThat(help).contains(flag);
        }
        assertThat(help).contains("default: 6388");
    }
}
