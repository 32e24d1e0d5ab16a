package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.tls.TestCerts;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and auth against a real server. Self-signed certificates are generated at test time with
 * {@link TestCerts} (BouncyCastle) into a temporary directory; no key material is committed.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class TlsAuthTest {
    private static final String SECRET = "s3cret-token";

    @TempDir
    static Path dir;
    static DflockdServer tlsAuth;
    static DflockdServer authOnly;
    static SSLContext trusting;
    static String tlsAddress;

    @BeforeAll
    static void start() throws Exception {
        Path cert = dir.resolve("server.pem");
        Path keyFile = dir.resolve("server.key");
        TestCerts.selfSigned(cert, keyFile, "localhost", "127.0.0.1");
        tlsAuth = TestServers.start(b -> b.tlsCert(cert).tlsKey(keyFile).authToken(SECRET));
        authOnly = TestServers.start(b -> b.authToken(SECRET));
        trusting = trustOnly(cert);
        tlsAddress = "127.0.0.1:" + tlsAuth.port();
    }

    @AfterAll
    static void stop() {
        tlsAuth.close();
        authOnly.close();
    }

    static SSLContext trustOnly(Path cert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            ks.setCertificateEntry("server", c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static ClientConfig tls(String token) {
        return ClientConfig.builder().server(tlsAddress).sslContext(trusting).authToken(token)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void lockOverTlsWithAuth() {
        String k = key("tls");
        try (DistributedLock lock = DistributedLock.builder(k).config(tls(SECRET)).leaseTtl(Duration.ofSeconds(2))
                .build().acquireOrThrow()) {
            assertThat(lock.isHeld()).isTrue();
            try (DflockdConnection c = DflockdConnection.open(tls(SECRET))) {
                assertThat(c.stats().lock(k)).isPresent();
            }
        }
    }

    @Test
    void hostNameIsVerifiedToo() {
        ClientConfig byName = ClientConfig.builder().server("localhost:" + tlsAuth.port()).sslContext(trusting)
                .authToken(SECRET).build();
        try (DflockdConnection c = DflockdConnection.open(byName)) {
            c.ping();
        }
    }

    @Test
    void signalsOverTlsWithAuth() throws Exception {
        try (SignalConn sc = SignalConn.builder().config(tls(SECRET)).connect()) {
            sc.listen("secure.>");
            assertThat(sc.emit("secure.x", "hi")).isEqualTo(1);
            assertThat(sc.signals().poll(5, TimeUnit.SECONDS)).isEqualTo(new Signal("secure.x", "hi"));
        }
    }

    @Test
    void wrongTokenIsAnAuthException() {
        assertThatThrownBy(() -> DflockdConnection.open(tls("wrong"))).isInstanceOf(AuthException.class)
                .hasMessageStartingWith(tlsAddress + ": authentication failed");
        try (DistributedLock lock = DistributedLock.builder(key("auth")).config(tls("wrong")).build()) {
            assertThatThrownBy(lock::acquire).isInstanceOf(AuthException.class);
            assertThat(lock.isHeld()).isFalse();
        }
        assertThatThrownBy(() -> SignalConn.builder().config(tls("wrong")).connect()).isInstanceOf(AuthException.class);
    }

    @Test
    void missingTokenIsAnAuthExceptionOnTheFirstCommand() {
        ClientConfig noToken = ClientConfig.builder().server("127.0.0.1:" + authOnly.port()).build();
        try (DflockdConnection c = DflockdConnection.open(noToken)) {
            assertThatThrownBy(() -> c.acquire("k", Duration.ZERO)).isInstanceOf(AuthException.class);
            assertThat(c.isOpen()).isFalse();
        }
        ClientConfig withToken = noToken.toBuilder().authToken(SECRET).build();
        try (DflockdConnection c = DflockdConnection.open(withToken)) {
            c.ping();
        }
    }

    @Test
    void plainClientAgainstTlsServerFailsNamingTls() {
        ClientConfig plain = ClientConfig.builder().server(tlsAddress).connectTimeout(Duration.ofSeconds(3)).build();
        assertThatThrownBy(() -> {
            try (DflockdConnection c = DflockdConnection.open(plain)) {
                c.ping();
            }
        }).isInstanceOf(DflockdIOException.class).hasMessageStartingWith(tlsAddress + ": ")
                .hasMessageContaining("configure the client for TLS");
        // with a token the first request is auth: a missing TLS is still not "auth rejected"
        ClientConfig plainWithToken = ClientConfig.builder().server(tlsAddress).authToken(SECRET)
                .connectTimeout(Duration.ofSeconds(3)).build();
        assertThatThrownBy(() -> DflockdConnection.open(plainWithToken).close())
                .isInstanceOf(DflockdIOException.class).isNotInstanceOf(AuthException.class)
                .hasMessageContaining("before it answered auth").hasMessageContaining("configure the client for TLS");
    }

    @Test
    void untrustedOrMismatchedCertificateFailsTheHandshake() throws Exception {
        // default trust store: the self-signed certificate is not trusted
        ClientConfig untrusted = ClientConfig.builder().server(tlsAddress).sslContext(SSLContext.getDefault()).build();
        assertThatThrownBy(() -> DflockdConnection.open(untrusted)).isInstanceOf(DflockdIOException.class)
                .hasMessageStartingWith(tlsAddress + ": TLS handshake failed");

        // trusted certificate, but issued for another host name
        Path cert = dir.resolve("other.pem");
        Path keyFile = dir.resolve("other.key");
        TestCerts.selfSigned(cert, keyFile, "other.example");
        try (DflockdServer other = TestServers.start(b -> b.tlsCert(cert).tlsKey(keyFile))) {
            ClientConfig mismatch = ClientConfig.builder().server("127.0.0.1:" + other.port())
                    .sslContext(trustOnly(cert)).build();
            assertThatThrownBy(() -> DflockdConnection.open(mismatch)).isInstanceOf(DflockdIOException.class)
                    .hasMessageContaining("TLS handshake failed");
        }
    }
}
