package io.dflockd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.server.cluster.ClusterConfig;
import io.dflockd.server.cluster.FollowerMode;
import io.dflockd.server.tls.TestCerts;
import io.dflockd.server.tls.TestCerts.KeyFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flag / environment / default precedence and validation (PROTOCOL.md §12). */
class MainTest {
    private final Map<String, String> env = new HashMap<>();

    private ServerConfig parse(String... args) throws Exception {
        return Main.parseConfig(args, env);
    }

    /** What the user sees: dflockd's exit code and stderr. Only for runs that must fail to start. */
    private record Outcome(int exitCode, String stdout, String stderr) {
        String errorLine() {
            assertThat(stderr.lines()).as(stderr).hasSize(1);
            assertThat(stderr).doesNotContain("Exception").doesNotContain("\tat ");
            return stderr.strip();
        }
    }

    private Outcome run(String... args) {
        CommandLine cl = Main.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(Main.goStyleFlags(cl, args));
        return new Outcome(code, out.toString(), err.toString());
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
        assertThat(c.maxKeys()).as("unlimited").isZero();
        assertThat(c.maxListLength()).as("unlimited").isZero();
        assertThat(c.autoReleaseOnDisconnect()).isTrue();
        assertThat(c.authToken()).isNull();
        assertThat(c.tls()).isFalse();
        assertThat(c.http()).as("the HTTP port is off by default").isFalse();
        assertThat(c.httpPort()).isZero();
        assertThat(c.httpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void httpPortAndHostFollowFlagEnvironmentDefault() throws Exception {
        assertThat(parse("--host", "0.0.0.0", "--http-port", "9090").httpHost()).as("defaults to --host")
                .isEqualTo("0.0.0.0");
        env.put("DFLOCKD_HTTP_PORT", "9091");
        env.put("DFLOCKD_HTTP_HOST", "::1");
        ServerConfig c = parse();
        assertThat(c.http()).isTrue();
        assertThat(c.httpPort()).isEqualTo(9091);
        assertThat(c.httpHost()).isEqualTo("::1");
        assertThat(parse("-http-port", "9092", "--http-host=localhost").httpPort()).isEqualTo(9092);
        assertThat(parse("--http-port", "0").http()).as("0 turns it off").isFalse();
        env.put("DFLOCKD_HTTP_PORT", "");
        assertThat(parse().http()).as("empty variable counts as unset").isFalse();
        env.put("DFLOCKD_HTTP_PORT", "web");
        assertThatThrownBy(this::parse).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("DFLOCKD_HTTP_PORT").hasMessageContaining("--http-port");
        env.clear();
        assertThatThrownBy(() -> parse("--port", "7000", "--http-port", "7000"))
                .hasMessage("--http-port must differ from --port (7000) when both listen on 127.0.0.1");
        assertThat(parse("--port", "7000", "--http-port", "7000", "--http-host", "127.0.0.2").httpPort())
                .isEqualTo(7000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anHttpPortBindFailureSaysItIsTheHttpPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Outcome inUse = run("--port", "0", "--http-port", String.valueOf(taken.getLocalPort()));
            assertThat(inUse.exitCode()).isEqualTo(1);
            assertThat(inUse.errorLine()).isEqualTo("dflockd: cannot listen for HTTP on 127.0.0.1:"
                    + taken.getLocalPort() + ": address already in use");
        }
        assertThat(run("--port", "0", "--http-port", "6391", "--http-host", "192.0.2.1").errorLine()).isEqualTo(
                "dflockd: cannot listen for HTTP on 192.0.2.1:6391: cannot assign address (it is not an address of this machine)");
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
    void clusterFlagsFollowFlagEnvironmentAndAHalfGivenClusterIsAUsageError(@TempDir Path dir) throws Exception {
        String peers = "n1=127.0.0.1:7001@127.0.0.1:6388,n2=127.0.0.1:7002@127.0.0.1:6389";
        assertThat(parse().cluster()).as("standalone by default").isNull();
        ServerConfig c = parse("--raft-dir", dir.toString(), "--node-id", "n2", "--cluster-peers", peers);
        assertThat(c.cluster().nodeId()).isEqualTo("n2");
        assertThat(c.cluster().raftBind()).isEqualTo("127.0.0.1:7002");
        assertThat(c.cluster().peers()).hasSize(2);
        env.put("DFLOCKD_RAFT_DIR", dir.toString());
        env.put("DFLOCKD_NODE_ID", "n1");
        env.put("DFLOCKD_CLUSTER_PEERS", peers);
        env.put("DFLOCKD_RAFT_ADDR", "0.0.0.0:7001");
        assertThat(parse().cluster().raftBind()).isEqualTo("0.0.0.0:7001");
        assertThat(parse("--node-id", "n2").cluster().nodeId()).isEqualTo("n2");
        assertThat(parse().cluster().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        env.put("DFLOCKD_CLUSTER_REQUEST_TIMEOUT_S", "30");
        assertThat(parse().cluster().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        env.clear();
        assertThat(run("--raft-dir", dir.toString(), "--node-id", "n1", "--cluster-peers", peers,
                "--cluster-request-timeout", "0").errorLine())
                .isEqualTo("dflockd: --cluster-request-timeout must be between 1 and 86400 seconds, got 0");
        assertThat(run("--cluster-request-timeout", "5").errorLine())
                .isEqualTo("dflockd: --cluster-request-timeout needs --raft-dir (cluster mode)");

        assertThat(run("--node-id", "n1").errorLine()).isEqualTo("dflockd: --node-id needs --raft-dir (cluster mode)");
        assertThat(run("--raft-dir", dir.toString(), "--cluster-peers", peers).errorLine())
                .isEqualTo("dflockd: --node-id is required in cluster mode (--raft-dir)");
        assertThat(run("--raft-dir", dir.toString(), "--node-id", "n3", "--cluster-peers", peers).errorLine())
                .startsWith("dflockd: --cluster-peers: node id 'n3' is not among the peers");
        assertThat(run("--raft-dir", dir.toString(), "--node-id", "n1", "--cluster-peers", "n1=nowhere").errorLine())
                .startsWith("dflockd: --cluster-peers: bad peer 'n1=nowhere'");
        assertThat(run("--raft-dir", dir.toString(), "--node-id", "n1", "--cluster-peers", peers,
                "--fence-state-file", dir.resolve("f").toString()).errorLine())
                .isEqualTo("dflockd: --fence-state-file is a standalone setting: in cluster mode fences are "
                        + "replicated state");
        assertThat(run("--node-id", "n1").exitCode()).isEqualTo(2);
    }

    /** CLUSTER-DESIGN.md §3.5 and CLUSTER-DESIGN.md §2.6: cluster-only settings, as upstream's loader has them for --orphan-ttl. */
    @Test
    void orphanTtlAndNodeGoneTimeoutAreClusterSettings(@TempDir Path dir) throws Exception {
        String peers = "n1=127.0.0.1:7001@127.0.0.1:6388,n2=127.0.0.1:7002@127.0.0.1:6389";
        String[] cluster = {"--raft-dir", dir.toString(), "--node-id", "n1", "--cluster-peers", peers};
        ClusterConfig defaults = parse(cluster).cluster();
        assertThat(defaults.orphanTtl()).isEqualTo(Duration.ZERO);
        assertThat(defaults.nodeGoneTimeout()).as("null: twice the default lease").isNull();
        env.put("DFLOCKD_ORPHAN_TTL_S", "30");
        env.put("DFLOCKD_NODE_GONE_TIMEOUT_S", "9");
        assertThat(parse(cluster).cluster().orphanTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(parse(cluster).cluster().nodeGoneTimeout()).isEqualTo(Duration.ofSeconds(9));
        String[] flagged = java.util.stream.Stream.concat(java.util.Arrays.stream(cluster),
                java.util.stream.Stream.of("--orphan-ttl", "5")).toArray(String[]::new);
        assertThat(parse(flagged).cluster().orphanTtl()).as("the flag wins").isEqualTo(Duration.ofSeconds(5));
        env.clear();

        Outcome standalone = run("--orphan-ttl", "30");
        assertThat(standalone.errorLine()).isEqualTo("dflockd: --orphan-ttl needs --raft-dir (cluster mode)");
        assertThat(standalone.exitCode()).isEqualTo(2);
        env.put("DFLOCKD_ORPHAN_TTL_S", "30");
        assertThat(run().errorLine()).isEqualTo("dflockd: DFLOCKD_ORPHAN_TTL_S needs --raft-dir (cluster mode)");
        env.clear();
        assertThat(parse("--orphan-ttl", "0").cluster()).as("0, upstream's default, is accepted anywhere").isNull();
        assertThat(run("--node-gone-timeout", "10").errorLine())
                .isEqualTo("dflockd: --node-gone-timeout needs --raft-dir (cluster mode)");
        String[] negative = java.util.stream.Stream.concat(java.util.Arrays.stream(cluster),
                java.util.stream.Stream.of("--orphan-ttl", "-1")).toArray(String[]::new);
        assertThat(run(negative).errorLine()).isEqualTo("dflockd: --orphan-ttl must be between 0 and 86400 seconds, got -1");
        String[] zeroGone = java.util.stream.Stream.concat(java.util.Arrays.stream(cluster),
                java.util.stream.Stream.of("--node-gone-timeout", "0")).toArray(String[]::new);
        assertThat(run(zeroGone).errorLine())
                .isEqualTo("dflockd: --node-gone-timeout must be between 1 and 86400 seconds, got 0");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void raftTlsTakesAllThreeFilesOrNoneAndChecksThem(@TempDir Path dir) throws Exception {
        String peers = "n1=127.0.0.1:7001@127.0.0.1:6388,n2=127.0.0.1:7002@127.0.0.1:6389";
        TestCerts ca = TestCerts.newCa();
        KeyPair n1 = TestCerts.ec();
        KeyPair n2 = TestCerts.rsa();
        Path cert = dir.resolve("n1.crt");
        Path key = dir.resolve("n1.key");
        Path n2Cert = dir.resolve("n2.crt");
        Path n2Key = dir.resolve("n2.key");
        Path caFile = dir.resolve("ca.crt");
        Path missing = dir.resolve("nope.crt");
        TestCerts.writeCert(cert, ca.issue("n1", n1));
        TestCerts.writeKey(key, n1.getPrivate(), KeyFormat.TRADITIONAL); // SEC1, as openssl ecparam writes it
        TestCerts.writeCert(n2Cert, ca.issue("n2", n2));
        TestCerts.writeKey(n2Key, n2.getPrivate(), KeyFormat.PKCS8);
        TestCerts.writeCert(caFile, ca.ca);
        String[] cluster = {"--raft-dir", dir.resolve("raft").toString(), "--node-id", "n1", "--cluster-peers", peers};

        assertThat(parse(cluster).cluster().tls()).as("plaintext by default").isNull();
        assertThat(parse(with(cluster, "--raft-tls-cert", cert.toString(), "--raft-tls-key", key.toString(),
                "--raft-tls-ca", caFile.toString())).cluster().tls().nodeId()).isEqualTo("n1");
        env.put("DFLOCKD_RAFT_TLS_CERT", cert.toString());
        env.put("DFLOCKD_RAFT_TLS_KEY", key.toString());
        env.put("DFLOCKD_RAFT_TLS_CA", caFile.toString());
        assertThat(parse(cluster).cluster().tls()).isNotNull();
        env.clear();

        Outcome partial = run(with(cluster, "--raft-tls-cert", cert.toString()));
        assertThat(partial.exitCode()).isEqualTo(2);
        assertThat(partial.errorLine()).isEqualTo("dflockd: --raft-tls-cert requires --raft-tls-key and --raft-tls-ca "
                + "as well (mutual TLS between nodes takes all three or none)");
        env.put("DFLOCKD_RAFT_TLS_CA", caFile.toString());
        assertThat(run(with(cluster, "--raft-tls-key", key.toString())).errorLine()).isEqualTo("dflockd: "
                + "--raft-tls-key requires --raft-tls-cert as well (mutual TLS between nodes takes all three or none)");
        env.clear();
        Outcome standalone = run("--raft-tls-ca", caFile.toString());
        assertThat(standalone.exitCode()).isEqualTo(2);
        assertThat(standalone.errorLine()).isEqualTo("dflockd: --raft-tls-ca needs --raft-dir (cluster mode)");

        Outcome unreadable = run(with(cluster, "--raft-tls-cert", cert.toString(), "--raft-tls-key", key.toString(),
                "--raft-tls-ca", missing.toString()));
        assertThat(unreadable.exitCode()).as("an unusable file, as for --tls-*").isEqualTo(78);
        assertThat(unreadable.errorLine()).isEqualTo("dflockd: --raft-tls-ca: cannot read " + missing + ": no such file");
        env.put("DFLOCKD_RAFT_TLS_CERT", key.toString());
        assertThat(run(with(cluster, "--raft-tls-key", key.toString(), "--raft-tls-ca", caFile.toString())).errorLine())
                .isEqualTo("dflockd: DFLOCKD_RAFT_TLS_CERT: " + key + ": no PEM CERTIFICATE block found");
        env.clear();
        Outcome otherNode = run(with(cluster, "--raft-tls-cert", n2Cert.toString(), "--raft-tls-key", n2Key.toString(),
                "--raft-tls-ca", caFile.toString()));
        assertThat(otherNode.exitCode()).isEqualTo(78);
        assertThat(otherNode.errorLine()).isEqualTo("dflockd: --raft-tls-cert: " + n2Cert + " with the key " + n2Key
                + ": the certificate names [n2, localhost] (CN and DNS SANs), not this node's id n1");
        assertThat(run(with(cluster, "--raft-tls-cert", cert.toString(), "--raft-tls-key", n2Key.toString(),
                "--raft-tls-ca", caFile.toString())).errorLine()).isEqualTo("dflockd: --raft-tls-cert: " + cert
                + " with the key " + n2Key + ": the private key does not belong to the certificate CN=n1");
    }

    @Test
    void followerModeAndAdvertiseAddrAreCheckedAgainstTheCluster(@TempDir Path dir) throws Exception {
        String peers = "n1=127.0.0.1:7001@Node1.example:6388,n2=127.0.0.1:7002@127.0.0.1:6389";
        String[] cluster = {"--raft-dir", dir.toString(), "--node-id", "n1", "--cluster-peers", peers};
        assertThat(parse(cluster).cluster().followerMode()).as("default").isEqualTo(FollowerMode.FORWARD);
        assertThat(parse(with(cluster, "--follower-mode", "redirect")).cluster().followerMode())
                .isEqualTo(FollowerMode.REDIRECT);
        env.put("DFLOCKD_FOLLOWER_MODE", "redirect");
        assertThat(parse(cluster).cluster().followerMode()).isEqualTo(FollowerMode.REDIRECT);
        assertThat(parse(with(cluster, "--follower-mode", "forward")).cluster().followerMode())
                .as("the flag wins").isEqualTo(FollowerMode.FORWARD);
        env.put("DFLOCKD_FOLLOWER_MODE", "Redirect");
        assertThat(run(cluster).errorLine())
                .isEqualTo("dflockd: DFLOCKD_FOLLOWER_MODE must be forward or redirect, got 'Redirect'");
        env.clear();
        assertThat(run(with(cluster, "--follower-mode", "proxy")))
                .satisfies(o -> assertThat(o.exitCode()).isEqualTo(2)).extracting(Outcome::errorLine)
                .isEqualTo("dflockd: --follower-mode must be forward or redirect, got 'proxy'");

        // --advertise-addr: this node's entry in --cluster-peers, host case and port zeros aside
        assertThat(parse(with(cluster, "--advertise-addr", "node1.EXAMPLE:06388")).cluster()).isNotNull();
        env.put("DFLOCKD_ADVERTISE_ADDR", "127.0.0.1:6389");
        assertThat(run(cluster).errorLine()).isEqualTo("dflockd: DFLOCKD_ADVERTISE_ADDR 127.0.0.1:6389 is not this "
                + "node's client address in --cluster-peers (n1=127.0.0.1:7001@Node1.example:6388)");
        env.clear();
        for (String bad : new String[] {"node1.example", "node1.example:0", "node1.example:70000", ":6388", "a b:1"}) {
            assertThat(run(with(cluster, "--advertise-addr", bad)))
                    .satisfies(o -> assertThat(o.exitCode()).isEqualTo(2)).extracting(Outcome::errorLine)
                    .isEqualTo("dflockd: --advertise-addr must be host:port with a port of 1-65535, got '" + bad + "'");
        }
        assertThat(run("--follower-mode", "redirect").errorLine())
                .isEqualTo("dflockd: --follower-mode needs --raft-dir (cluster mode)");
        assertThat(run("--advertise-addr", "127.0.0.1:6388").errorLine())
                .isEqualTo("dflockd: --advertise-addr needs --raft-dir (cluster mode)");
    }

    @Test
    void joinAndAdminTokenFlagsFollowFlagEnvironmentAndNeedClusterMode(@TempDir Path dir) throws Exception {
        String peers = "n1=127.0.0.1:7001@127.0.0.1:6388,n2=127.0.0.1:7002@127.0.0.1:6389";
        String raftDir = dir.resolve("raft").toString();
        ServerConfig founder = parse("--raft-dir", raftDir, "--node-id", "n1", "--cluster-peers", peers);
        assertThat(founder.cluster().join()).isFalse();
        assertThat(founder.adminToken()).as("membership commands off by default").isNull();

        // A joining node need not be among the peers (they are whom it reaches), but then needs --raft-addr.
        ServerConfig joiner = parse("--raft-dir", raftDir, "--node-id", "n3", "--cluster-peers", peers,
                "--cluster-join", "--raft-addr", "127.0.0.1:7003");
        assertThat(joiner.cluster().join()).isTrue();
        assertThat(joiner.cluster().raftBind()).isEqualTo("127.0.0.1:7003");
        assertThat(run("--raft-dir", raftDir, "--node-id", "n3", "--cluster-peers", peers, "--cluster-join").errorLine())
                .isEqualTo("dflockd: --cluster-peers: a joining node that is not among the peers needs its Raft address");
        env.put("DFLOCKD_CLUSTER_JOIN", "yes");
        assertThat(parse("--raft-dir", raftDir, "--node-id", "n1", "--cluster-peers", peers).cluster().join()).isTrue();
        env.remove("DFLOCKD_CLUSTER_JOIN");
        assertThat(parse("--cluster-join=false").cluster()).as("false asks for nothing").isNull();
        env.clear();
        assertThat(run("--cluster-join").errorLine()).isEqualTo("dflockd: --cluster-join needs --raft-dir (cluster mode)");

        Path flagFile = dir.resolve("admin-flag");
        Files.writeString(flagFile, " from-flag-file\n");
        Path envFile = dir.resolve("admin-env");
        Files.writeString(envFile, "from-env-file\n");
        String[] cluster = {"--raft-dir", raftDir, "--node-id", "n1", "--cluster-peers", peers};
        env.put("DFLOCKD_ADMIN_TOKEN_FILE", envFile.toString());
        assertThat(parse(cluster).adminToken()).isEqualTo("from-env-file");
        env.put("DFLOCKD_ADMIN_TOKEN", " from-env ");
        assertThat(parse(cluster).adminToken()).isEqualTo("from-env");
        String[] withFile = java.util.stream.Stream.concat(java.util.Arrays.stream(cluster),
                java.util.stream.Stream.of("--admin-token-file", flagFile.toString())).toArray(String[]::new);
        assertThat(parse(withFile).adminToken()).isEqualTo("from-flag-file");
        String[] withFlag = java.util.stream.Stream.concat(java.util.Arrays.stream(withFile),
                java.util.stream.Stream.of("--admin-token", "from-flag")).toArray(String[]::new);
        assertThat(parse(withFlag).adminToken()).isEqualTo("from-flag");
        assertThat(parse(withFlag).authToken()).as("the auth token is another setting").isNull();
        assertThat(run("--admin-token", "x").errorLine())
                .isEqualTo("dflockd: --admin-token needs --raft-dir: the membership commands exist in cluster mode only");
        assertThat(run("--admin-token", "x").exitCode()).isEqualTo(2);
        env.clear();
        Files.writeString(flagFile, "two\nlines\n");
        Outcome twoLines = run(withFile);
        assertThat(twoLines.errorLine()).contains("--admin-token-file").contains("single line");
        assertThat(twoLines.exitCode()).isEqualTo(78);
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
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
        // a value that starts with '-' is a value, not a Go-style flag to rewrite
        assertThat(parse("--auth-token", "-secret").authToken()).isEqualTo("-secret");
        assertThat(parse("-auth-token", "-secret").authToken()).isEqualTo("-secret");
        assertThat(parse("-port", "7001", "-auth-token", "-s").port()).isEqualTo(7001);
        // the cap counts the UTF-8 bytes a client sends: 40 000 'é' are 80 000 bytes
        assertThatThrownBy(() -> parse("--auth-token", "é".repeat(40_000))).hasMessageContaining("65536 bytes");
        assertThat(parse("--auth-token", "é".repeat(30_000)).authToken()).hasSize(30_000);
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
    void httpApiFlagsFollowFlagEnvironmentDefault() throws Exception {
        assertThat(parse().httpApi()).isEqualTo(io.dflockd.server.http.HttpApiSettings.DEFAULTS);
        assertThat(parse().httpApi().sessionIdleTimeoutSeconds()).isEqualTo(20);
        env.put("DFLOCKD_HTTP_SESSION_IDLE_S", "7");
        env.put("DFLOCKD_HTTP_MAX_SESSIONS", "100");
        env.put("DFLOCKD_HTTP_RATE_LIMIT_PER_IP", "50");
        env.put("DFLOCKD_HTTP_CORS_ALLOWED_ORIGINS", " https://a.example , https://b.example,, ");
        var s = parse("--http-max-sessions", "5", "--http-max-sessions-per-ip", "2", "--http-max-connections-per-ip",
                "3", "--http-rate-limit-burst", "80").httpApi();
        assertThat(s.sessionIdleTimeoutSeconds()).as("environment").isEqualTo(7);
        assertThat(s.maxSessions()).as("the flag wins").isEqualTo(5);
        assertThat(s.maxSessionsPerIp()).isEqualTo(2);
        assertThat(s.maxConnectionsPerIp()).isEqualTo(3);
        assertThat(s.rateLimitPerIp()).isEqualTo(50);
        assertThat(s.rateLimitBurst()).isEqualTo(80);
        assertThat(s.corsAllowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(parse("--http-cors-allowed-origins", "*").httpApi().corsAllowedOrigins()).containsExactly("*");
        env.put("DFLOCKD_HTTP_MAX_SESSIONS", "lots");
        assertThatThrownBy(() -> parse()).hasMessageContaining("DFLOCKD_HTTP_MAX_SESSIONS");
    }

    @Test
    void helpListsEveryFlag() {
        String help = Main.commandLine(env).getUsageMessage();
        for (String flag : new String[] {"--host", "--port", "--default-lease-ttl", "--lease-sweep-interval",
            "--gc-interval", "--gc-max-idle", "--max-locks", "--max-waiters", "--max-keys", "--max-list-length", "--max-connections",
            "--max-connections-per-ip", "--max-subscriptions", "--read-timeout", "--write-timeout",
            "--shutdown-timeout", "auto-release-on-disconnect", "--fence-state-file", "--tls-cert", "--tls-key",
            "--tls-client-ca", "--auth-token", "--auth-token-file", "--http-port", "--http-host", "--raft-dir",
            "--node-id", "--cluster-peers", "--raft-addr", "--cluster-request-timeout", "--raft-tls-cert",
            "--raft-tls-key", "--raft-tls-ca", "--follower-mode", "--advertise-addr", "--debug",
            "--cluster-join", "--admin-token", "--admin-token-file",
            "--orphan-ttl", "--node-gone-timeout",
            "--http-session-idle-timeout", "--http-max-sessions", "--http-max-sessions-per-ip",
            "--http-max-connections-per-ip", "--http-rate-limit-per-ip", "--http-rate-limit-burst",
            "--http-cors-allowed-origins", "--version"}) {
            assertThat(help).contains(flag);
        }
        assertThat(help).contains("default: 6388");
    }

    // A run that unexpectedly starts would wait for SIGTERM: the timeouts turn that into a failure.

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unusableConfigurationFilesNameTheSettingAndTheFileAndExit78(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCerts.selfSigned(cert, key, "localhost");
        Path missing = dir.resolve("nope.crt");
        assertThat(run("--port", "0", "--tls-cert", missing.toString(), "--tls-key", key.toString()))
                .satisfies(o -> assertThat(o.exitCode()).isEqualTo(78))
                .extracting(Outcome::errorLine)
                .isEqualTo("dflockd: --tls-cert: cannot read " + missing + ": no such file");
        assertThat(run("--port", "0", "--tls-cert", cert.toString(), "--tls-key", missing.toString()).errorLine())
                .isEqualTo("dflockd: --tls-key: cannot read " + missing + ": no such file");
        assertThat(run("--port", "0", "--tls-cert", key.toString(), "--tls-key", key.toString()).errorLine())
                .isEqualTo("dflockd: --tls-cert: " + key + ": no PEM CERTIFICATE block found");
        Outcome token = run("--port", "0", "--auth-token-file", missing.toString());
        assertThat(token.exitCode()).isEqualTo(78);
        assertThat(token.errorLine()).isEqualTo("dflockd: --auth-token-file: cannot read " + missing + ": no such file");

        env.put("DFLOCKD_TLS_CERT", missing.toString());
        env.put("DFLOCKD_TLS_KEY", key.toString());
        assertThat(run("--port", "0").errorLine())
                .isEqualTo("dflockd: DFLOCKD_TLS_CERT: cannot read " + missing + ": no such file");
        env.clear();
        env.put("DFLOCKD_AUTH_TOKEN_FILE", dir.toString());
        Outcome directory = run("--port", "0");
        assertThat(directory.exitCode()).isEqualTo(78);
        assertThat(directory.errorLine()).isEqualTo("dflockd: DFLOCKD_AUTH_TOKEN_FILE: cannot read " + dir
                + ": is a directory");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void bindFailuresGiveTheAddressThePortAndTheReason() throws Exception {
        Outcome unknown = run("--host", "999.1.1.1");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.errorLine()).isEqualTo("dflockd: cannot listen on 999.1.1.1:6388: unknown host");
        assertThat(run("--host", "999.1.1.1", "--port", "0").errorLine())
                .isEqualTo("dflockd: cannot listen on 999.1.1.1 (any free port): unknown host");
        // 192.0.2.0/24 is reserved for documentation: never an address of this machine.
        assertThat(run("--host", "192.0.2.1", "--port", "6390").errorLine()).isEqualTo(
                "dflockd: cannot listen on 192.0.2.1:6390: cannot assign address (it is not an address of this machine)");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Outcome inUse = run("--port", String.valueOf(taken.getLocalPort()));
            assertThat(inUse.exitCode()).isEqualTo(1);
            assertThat(inUse.errorLine()).isEqualTo("dflockd: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use");
        }
    }

    @Test
    void bindFailureReasonsAreWords() {
        // Tests run as root here, so a privileged port cannot be made to fail for real.
        assertThat(ListenFailures.reason(new BindException("Permission denied")))
                .isEqualTo("permission denied (ports below 1024 need privileges)");
        assertThat(ListenFailures.reason(new java.io.IOException("bind(..) failed with error(-13): Permission denied")))
                .startsWith("permission denied");
        assertThat(ListenFailures.reason(new java.io.IOException("bind(..) failed with error(-22): Invalid argument")))
                .isEqualTo("Invalid argument");
        assertThat(ListenFailures.address("::1", 6388)).isEqualTo("[::1]:6388");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void badValuesNameTheVariableTheyCameFromOrTheFlag() {
        String[][] cases = {
            {"--port", "DFLOCKD_PORT", "70000", " must be between 0 and 65535, got 70000"},
            {"--default-lease-ttl", "DFLOCKD_DEFAULT_LEASE_TTL_S", "0", " must be between 1 and"},
            {"--lease-sweep-interval", "DFLOCKD_LEASE_SWEEP_INTERVAL_S", "0", " must be between 1 and"},
            {"--gc-interval", "DFLOCKD_GC_INTERVAL_S", "-1", " must be between 1 and 9223372036 seconds, got -1"},
            {"--gc-interval", "DFLOCKD_GC_LOOP_SLEEP", "-1", " must be between 1 and 9223372036 seconds, got -1"},
            {"--gc-max-idle", "DFLOCKD_GC_MAX_IDLE_S", "-1", " must be between 0 and"},
            {"--gc-max-idle", "DFLOCKD_GC_MAX_UNUSED_TIME", "-1", " must be between 0 and"},
            {"--max-locks", "DFLOCKD_MAX_LOCKS", "0", " must be greater than 0, got 0"},
            {"--max-waiters", "DFLOCKD_MAX_WAITERS", "-1", " must be 0 (unlimited) or more, got -1"},
            {"--max-keys", "DFLOCKD_MAX_KEYS", "-1", " must be 0 (unlimited) or more, got -1"},
            {"--max-list-length", "DFLOCKD_MAX_LIST_LENGTH", "-5", " must be 0 (unlimited) or more, got -5"},
            {"--max-connections", "DFLOCKD_MAX_CONNECTIONS", "-1", " must be 0 (unlimited) or more"},
            {"--max-connections-per-ip", "DFLOCKD_MAX_CONNECTIONS_PER_IP", "-1", " must be 0 (unlimited) or more"},
            {"--max-subscriptions", "DFLOCKD_MAX_SUBSCRIPTIONS", "-1", " must be 0 (unlimited) or more"},
            {"--read-timeout", "DFLOCKD_READ_TIMEOUT_S", "0", " must be between 1 and"},
            {"--write-timeout", "DFLOCKD_WRITE_TIMEOUT_S", "-1", " must be between 0 and"},
            {"--shutdown-timeout", "DFLOCKD_SHUTDOWN_TIMEOUT_S", "-1", " must be between 0 and"},
            {"--tls-cert", "DFLOCKD_TLS_CERT", "c.pem", " requires --tls-key as well"},
            {"--tls-key", "DFLOCKD_TLS_KEY", "k.pem", " requires --tls-cert as well"},
            {"--tls-client-ca", "DFLOCKD_TLS_CLIENT_CA", "ca.pem", " requires --tls-cert and --tls-key"},
            {"--auth-token", "DFLOCKD_AUTH_TOKEN", "two\nlines", ": the auth token must be a single line"},
            {"--http-port", "DFLOCKD_HTTP_PORT", "70000", " must be between 0 (off) and 65535, got 70000"},
            {"--http-port", "DFLOCKD_HTTP_PORT", "-1", " must be between 0 (off) and 65535, got -1"},
            {"--http-session-idle-timeout", "DFLOCKD_HTTP_SESSION_IDLE_S", "-1", " must be between 0 and"},
            {"--http-max-sessions", "DFLOCKD_HTTP_MAX_SESSIONS", "-1", " must be 0 (unlimited) or more, got -1"},
            {"--http-max-sessions-per-ip", "DFLOCKD_HTTP_MAX_SESSIONS_PER_IP", "-2", " must be 0 (unlimited) or more"},
            {"--http-max-connections-per-ip", "DFLOCKD_HTTP_MAX_CONNECTIONS_PER_IP", "-1", " must be 0 (unlimited)"},
            {"--http-rate-limit-per-ip", "DFLOCKD_HTTP_RATE_LIMIT_PER_IP", "-1", " must be 0 (unlimited) or more"},
            {"--http-rate-limit-burst", "DFLOCKD_HTTP_RATE_LIMIT_BURST", "-1", " must be 0 (unlimited) or more"},
        };
        for (String[] c : cases) {
            String flag = c[0];
            String variable = c[1];
            String value = c[2];
            String problem = c[3]; // follows the name: " must …" or ": …"
            env.clear();
            env.put(variable, value);
            Outcome fromEnv = run();
            assertThat(fromEnv.exitCode()).as(variable).isEqualTo(2);
            assertThat(fromEnv.errorLine()).as(variable).startsWith("dflockd: " + variable + problem);
            env.clear();
            Outcome fromFlag = run(flag + "=" + value);
            assertThat(fromFlag.exitCode()).as(flag).isEqualTo(2);
            assertThat(fromFlag.errorLine()).as(flag).startsWith("dflockd: " + flag + problem);
        }
    }

    @Test
    void helpShowsNoPicocliPlaceholdersAndListsTheExitCodes() {
        String help = Main.commandLine(env).getUsageMessage();
        assertThat(help).doesNotContainPattern("<[a-zA-Z]+>")
                .contains("--debug[=BOOL]", "--[no-]auto-release-on-disconnect[=BOOL]")
                .contains("Exit codes: 1 cannot start", "78 unusable TLS or auth token file");
    }

    @Test
    void versionIsTheProjectVersionEvenWithoutAJar() {
        Outcome version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout().strip()).matches("dflockd \\(Java\\) \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
