package io.dflockd.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Request;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.tls.TestCerts;
import io.dflockd.testing.FreePort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS between three Ratis nodes in this JVM (CLUSTER-DESIGN.md §1.7), with certificates made
 * here by a test CA: CN = node id, SAN {@code localhost} and {@code IP:127.0.0.1} unless a test says
 * otherwise. Refusals are observed in what the refusing node logs, then in the refused node's Raft state.
 */
@Tag("integration")
class RaftTlsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Where refusals show: our trust manager's log, and Ratis's log of failed calls to a peer. */
    private static final List<Logger> WATCHED = List.of(Logger.getLogger(RaftTls.class.getName()),
            Logger.getLogger("org.apache.ratis"));

    private final List<ClusterPeer> peers = new ArrayList<>();
    private final List<ClusterNode> nodes = new ArrayList<>();
    /** Our trust manager's refusals. */
    private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    /** Ratis's warnings. */
    private final ConcurrentLinkedQueue<String> ratisWarnings = new ConcurrentLinkedQueue<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLoggerName().equals(RaftTls.class.getName())) {
                refusals.add(r.getMessage());
            } else if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                ratisWarnings.add(String.valueOf(r.getMessage()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private TestCerts ca;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        ca = TestCerts.newCa();
        for (int i = 1; i <= 3; i++) {
            peers.add(new ClusterPeer("n" + i, "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + (6400 + i)));
        }
        WATCHED.forEach(l -> l.addHandler(capture));
    }

    @AfterEach
    void tearDown() throws IOException {
        WATCHED.forEach(l -> l.removeHandler(capture));
        for (ClusterNode n : nodes) {
            n.close();
        }
    }

    /** Node {@code id}'s TLS settings: a certificate from {@code issuer} for {@code names}, trusting {@code trusted}. */
    private static RaftTls tls(String id, TestCerts issuer, TestCerts trusted, String... names) throws Exception {
        KeyPair keys = TestCerts.rsa();
        return new RaftTls(id, keys.getPrivate(), List.of(issuer.issue(id, keys, names)), List.of(trusted.ca));
    }

    private RaftTls tls(String id) throws Exception {
        return tls(id, ca, ca, "localhost", "127.0.0.1");
    }

    private ClusterNode start(String id, RaftTls tls) throws IOException {
        ClusterNode node = ClusterNode.start(new ClusterConfig(id, peers, dir.resolve(id), null,
                ClusterConfig.DEFAULT_REQUEST_TIMEOUT).withTls(tls), new LockSettings(1024, 0, 33, 0, true), LockEvents.NONE, 1);
        nodes.add(node);
        return node;
    }

    private ClusterNode awaitLeader(List<ClusterNode> among) {
        return Awaitility.await().atMost(PATIENCE).until(
                () -> among.stream().filter(ClusterNode::isLeader).findFirst().orElse(null), n -> n != null);
    }

    /** Locks {@code key} through {@code node} and waits for the grant. */
    private static Outcome lock(ClusterNode node, String key) throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        node.open(1, (seq, o) -> outcome.complete(o)).submit(Request.Acquire.lock(key, 0, 30));
        return outcome.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static boolean holds(ClusterNode node, String key) {
        return node.snapshot().stream().anyMatch(r -> r.key().equals(key));
    }

    /** Two TLS nodes have a leader and a lock; {@code outsider} applied nothing and knows no leader. */
    private void assertShutOut(List<ClusterNode> members, ClusterNode outsider) throws Exception {
        ClusterNode leader = awaitLeader(members);
        ClusterNode follower = members.get(members.get(0) == leader ? 1 : 0);
        assertThat(lock(follower, "k").kind()).isEqualTo(Outcome.Kind.GRANTED);
        Awaitility.await().atMost(PATIENCE).until(() -> members.stream().allMatch(n -> holds(n, "k")));
        ClusterStatus status = outsider.status();
        assertThat(status.leaderId()).as("the outsider knows no leader").isNull();
        assertThat(status.appliedIndex()).as("the outsider applied nothing")
                .isLessThan(leader.status().appliedIndex());
        assertThat(holds(outsider, "k")).isFalse();
    }

    @Test
    void threeNodesElectALeaderAndReplicateALockOverMutualTls() throws Exception {
        for (ClusterPeer p : peers) {
            start(p.id(), tls(p.id()));
        }
        ClusterNode leader = awaitLeader(nodes);
        ClusterNode follower = nodes.get(nodes.get(0) == leader ? 1 : 0);
        assertThat(lock(follower, "k").kind()).isEqualTo(Outcome.Kind.GRANTED);
        Awaitility.await().atMost(PATIENCE).until(() -> nodes.stream().allMatch(n -> holds(n, "k")));
        assertThat(refusals).isEmpty();
    }

    @Test
    void aNodeWithACertificateFromAnotherCaCannotJoin() throws Exception {
        TestCerts otherCa = TestCerts.newCa();
        List<ClusterNode> members = List.of(start("n1", tls("n1")), start("n2", tls("n2")));
        ClusterNode outsider = start("n3", tls("n3", otherCa, otherCa, "localhost", "127.0.0.1"));
        Awaitility.await().atMost(PATIENCE).until(() -> refusals.stream().anyMatch(
                m -> m.matches("n[12]: refused a Raft (client|server) with the certificate CN=n3: .*")));
        assertShutOut(members, outsider);
    }

    @Test
    void aClientWhoseCertificateNamesNoNodeIsRefusedAtTheHandshake() throws Exception {
        start("n1", tls("n1"));
        assertThat(speaksHttp2(peers.get(0).raftAddress(), "n2"))
                .as("a certificate naming a node is accepted").isTrue();
        assertThat(refusals).isEmpty();
        assertThat(speaksHttp2(peers.get(0).raftAddress(), "intruder"))
                .as("a certificate of the same CA naming no node is refused").isFalse();
        Awaitility.await().atMost(PATIENCE).until(() -> refusals.stream().anyMatch(m -> m.startsWith(
                "n1: refused a Raft client with the certificate CN=intruder: the certificate names [intruder, localhost]")));
    }

    /**
     * Opens a TLS connection to {@code raftAddress} with a certificate from the test CA for {@code cn}
     * (ALPN h2, as gRPC requires), sends the HTTP/2 preface and says whether the server answered.
     */
    private boolean speaksHttp2(String raftAddress, String cn) throws Exception {
        KeyPair keys = TestCerts.rsa();
        SSLContext context = ca.clientContext(keys, ca.issue(cn, keys));
        int colon = raftAddress.lastIndexOf(':');
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(
                raftAddress.substring(0, colon), Integer.parseInt(raftAddress.substring(colon + 1)))) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            SSLParameters params = socket.getSSLParameters();
            params.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(params);
            socket.startHandshake();
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return socket.getInputStream().read() >= 0; // the server's SETTINGS frame
        } catch (SSLException e) {
            return false; // TLS 1.3: the server's verdict on our certificate arrives after our handshake
        }
    }

    /**
     * A Ratis server holding n3's certificate runs as n2 at n2's address. n1 refuses its votes (sent
     * as n2) and refuses it as the server at n2's address, so the two never make a quorum.
     */
    @Test
    void aNodeCannotSpeakAsAnotherNode() throws Exception {
        ClusterNode n1 = start("n1", tls("n1"));
        List<RaftPeer> raftPeers = peers.stream()
                .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.raftAddress()).build()).toList();
        String n2Address = peers.get(1).raftAddress();
        RaftProperties props = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(props, List.of(dir.resolve("impostor").toFile()));
        GrpcConfigKeys.Server.setPort(props, Integer.parseInt(n2Address.substring(n2Address.lastIndexOf(':') + 1)));
        try (RaftServer impostor = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf("n2"))
                .setGroup(RaftGroup.valueOf(ClusterNode.GROUP_ID, raftPeers)).setProperties(props)
                .setParameters(tls("n3").parameters(peers)).setStateMachine(new BaseStateMachine())
                .setOption(RaftStorage.StartupOption.FORMAT).build()) {
            impostor.start();
            Awaitility.await().atMost(PATIENCE).until(() -> refusals.containsAll(List.of(
                    "n1: refused a Raft request sent as n2 by a peer whose certificate names [n3, localhost]",
                    "n1: refused a Raft server with the certificate CN=n3: the certificate names [n3, localhost] "
                            + "(CN and DNS SANs), not n2, the node at the address dialed")));
            assertThat(n1.status().leaderId()).isNull();
            assertThat(impostor.getDivision(ClusterNode.GROUP_ID).getInfo().getLeaderId()).isNull();
        }
    }

    @Test
    void aPlaintextNodeCannotTalkToTlsNodes() throws Exception {
        List<ClusterNode> members = List.of(start("n1", tls("n1")), start("n2", tls("n2")));
        ClusterNode outsider = start("n3", null);
        // A TLS node dialing n3 reads n3's plaintext HTTP/2 settings where it expects a TLS record.
        Awaitility.await().atMost(PATIENCE).until(() -> ratisWarnings.stream().anyMatch(
                m -> m.matches("(?s)n[12]@group-\\w+->n3.*not an SSL/TLS record.*")));
        assertShutOut(members, outsider);
    }

    /**
     * gRPC's client verifies the server's host name (endpoint identification "HTTPS"): a peer dialed at
     * 127.0.0.1 must have {@code IP:127.0.0.1} among its SANs, a CN or {@code DNS:} SAN naming the node is
     * not enough. Without it no vote gets through, so no node ever leads.
     */
    @Test
    void aCertificateWithoutThePeersAddressInItsSansIsRefused() throws Exception {
        for (ClusterPeer p : peers) {
            start(p.id(), tls(p.id(), ca, ca, p.id()));
        }
        Awaitility.await().atMost(PATIENCE).until(() -> refusals.stream().anyMatch(m -> m.matches(
                "n[123]: refused a Raft server with the certificate CN=n[123]: "
                        + "No subject alternative names matching IP address 127.0.0.1 found")));
        assertThat(nodes).allSatisfy(n -> assertThat(n.status().leaderId()).as("%s's leader", n.nodeId()).isNull());
    }
}
