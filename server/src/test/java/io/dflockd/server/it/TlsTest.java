package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import io.dflockd.server.tls.TestCerts;
import io.dflockd.server.tls.TestCerts.KeyFormat;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real TLS handshakes against the embedded server with certificates generated for the test. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class TlsTest {
    private static TestCerts certs;
    private static KeyPair serverRsa;
    private static KeyPair serverEc;
    private static X509Certificate serverRsaCert;
    private static X509Certificate serverEcCert;

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCerts.newCa();
        serverRsa = TestCerts.rsa();
        serverEc = TestCerts.ec();
        serverRsaCert = certs.issue("localhost", serverRsa);
        serverEcCert = certs.issue("localhost", serverEc);
        TestCerts.writeCert(dir.resolve("ca.pem"), certs.ca);
        TestCerts.writeCert(dir.resolve("rsa.crt"), serverRsaCert, certs.ca);
        TestCerts.writeCert(dir.resolve("ec.crt"), serverEcCert);
        TestCerts.writeKey(dir.resolve("rsa-pkcs8.key"), serverRsa.getPrivate(), KeyFormat.PKCS8);
        TestCerts.writeKey(dir.resolve("rsa-pkcs1.key"), serverRsa.getPrivate(), KeyFormat.TRADITIONAL);
        TestCerts.writeKey(dir.resolve("ec-pkcs8.key"), serverEc.getPrivate(), KeyFormat.PKCS8);
        TestCerts.writeKey(dir.resolve("ec-sec1.key"), serverEc.getPrivate(), KeyFormat.TRADITIONAL);
    }

    private static DflockdServer start(String cert, String key, boolean mutual) throws IOException {
        ServerConfig.Builder b = ServerConfig.builder().port(0)
                .tlsCert(dir.resolve(cert)).tlsKey(dir.resolve(key));
        if (mutual) {
            b.tlsClientCa(dir.resolve("ca.pem"));
        }
        return DflockdServer.start(b.build());
    }

    private static RawPeer tls(int port, SSLContext ctx, String... protocols) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols.length > 0) {
            p.setProtocols(protocols);
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return new RawPeer(s);
    }

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({"rsa.crt, rsa-pkcs8.key", "rsa.crt, rsa-pkcs1.key", "ec.crt, ec-pkcs8.key", "ec.crt, ec-sec1.key"})
    void servesLocksOverTlsWithEveryKeyFormat(String cert, String key) throws Exception {
        try (DflockdServer server = start(cert, key, false);
             RawPeer w = tls(server.port(), certs.clientContext(null, null))) {
            assertThat(w.call("l", "k", "5")).matches("ok [0-9a-f]{32} 33");
            assertThat(((SSLSocket) w.socket()).getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void acceptsTls12Clients() throws Exception {
        try (DflockdServer server = start("rsa.crt", "rsa-pkcs8.key", false);
             RawPeer w = tls(server.port(), certs.clientContext(null, null), "TLSv1.2")) {
            assertThat(w.call("ping", "_", "_")).isEqualTo("ok");
            assertThat(((SSLSocket) w.socket()).getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    /**
     * A TLS close_notify from the client ends its stream just as a TCP FIN does: the server ends the
     * session at once and auto-releases the connection's locks. Python's asyncio client closes this
     * way and then keeps TCP open while it waits (up to 30 s) for the server's close_notify.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"TLSv1.3", "TLSv1.2"})
    void closeNotifyFromTheClientEndsTheSessionAndReleasesItsLocks(String protocol) throws Exception {
        try (DflockdServer server = start("rsa.crt", "rsa-pkcs8.key", false);
             EngineClient holder = new EngineClient(server.port(), certs.clientContext(null, null), protocol);
             RawPeer other = tls(server.port(), certs.clientContext(null, null), protocol)) {
            assertThat(holder.call("l\nheld\n5 60\n")).startsWith("ok ");
            holder.sendCloseNotifyKeepingTcpOpen();
            assertThat(holder.serverClosesWithin5s()).isTrue();
            assertThat(other.call("l", "held", "2")).startsWith("ok ");
        }
    }

    /** A TLS client on an SSLEngine over a plain socket, so the test decides exactly what is sent. */
    private static final class EngineClient implements AutoCloseable {
        private final Socket socket = new Socket();
        private final SSLEngine engine;
        private final InputStream in;
        private final OutputStream out;
        private final ByteBuffer netIn = ByteBuffer.allocate(1 << 17);
        private final ByteBuffer appIn = ByteBuffer.allocate(1 << 17);

        EngineClient(int port, SSLContext ctx, String protocol) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            engine = ctx.createSSLEngine("localhost", port);
            engine.setUseClientMode(true);
            SSLParameters p = engine.getSSLParameters();
            p.setProtocols(new String[] {protocol});
            engine.setSSLParameters(p);
            engine.beginHandshake();
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrap()) {
                            throw new IOException("EOF during the handshake");
                        }
                    }
                    case NEED_TASK -> {
                        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
                            t.run();
                        }
                    }
                    default -> {
                        return;
                    }
                }
            }
        }

        String call(String request) throws IOException {
            wrap(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            while (true) {
                appIn.flip();
                for (int i = appIn.position(); i < appIn.limit(); i++) {
                    if (appIn.get(i) == '\n') {
                        byte[] line = new byte[i - appIn.position()];
                        appIn.get(line).get();
                        appIn.compact();
                        return new String(line, StandardCharsets.UTF_8);
                    }
                }
                appIn.compact();
                if (!unwrap()) {
                    throw new IOException("connection closed by the server");
                }
            }
        }

        void sendCloseNotifyKeepingTcpOpen() throws IOException {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                wrap(ByteBuffer.allocate(0));
            }
        }

        /** True once the server has closed TCP; false if it still holds it open after 5 s. */
        boolean serverClosesWithin5s() throws IOException {
            byte[] buf = new byte[4096];
            try {
                while (in.read(buf) >= 0) {
                    // the server's close_notify, post-handshake messages: not needed here
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }

        private void wrap(ByteBuffer src) throws IOException {
            ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(src, net);
            out.write(net.array(), 0, net.position());
            out.flush();
        }

        /** Unwraps one record, reading from the socket as needed; false at EOF. */
        private boolean unwrap() throws IOException {
            byte[] buf = new byte[8192];
            while (true) {
                netIn.flip();
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                netIn.compact();
                if (r.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    return true;
                }
                int n = in.read(buf);
                if (n < 0) {
                    return false;
                }
                netIn.put(buf, 0, n);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void plainClientGetsNothingUsable() throws Exception {
        try (DflockdServer server = start("rsa.crt", "rsa-pkcs8.key", false);
             RawPeer w = new RawPeer(server.port())) {
            w.send("l", "k", "5");
            String reply = w.lineOrNull();
            assertThat(reply).isNull();
        }
    }

    @Test
    void mutualTlsRequiresAClientCertificateFromTheCa() throws Exception {
        KeyPair clientKeys = TestCerts.rsa();
        X509Certificate clientCert = certs.issue("client", clientKeys);
        try (DflockdServer server = start("rsa.crt", "rsa-pkcs8.key", true)) {
            try (RawPeer w = tls(server.port(), certs.clientContext(clientKeys, clientCert))) {
                assertThat(w.call("l", "k", "5")).startsWith("ok ");
            }
            assertThatThrownBy(() -> {
                try (RawPeer w = tls(server.port(), certs.clientContext(null, null))) {
                    // TLS 1.3 reports a missing client certificate on the first read.
                    w.call("ping", "_", "_");
                }
            }).isInstanceOfAny(SSLException.class, IOException.class);
            TestCerts other = TestCerts.newCa();
            KeyPair strangerKeys = TestCerts.rsa();
            X509Certificate stranger = other.issue("stranger", strangerKeys);
            SSLContext strangerCtx = certs.clientContext(strangerKeys, stranger);
            assertThatThrownBy(() -> {
                try (RawPeer w = tls(server.port(), strangerCtx)) {
                    w.call("ping", "_", "_");
                }
            }).isInstanceOfAny(SSLException.class, IOException.class);
        }
    }

    @Test
    void badKeyMaterialIsAClearStartupError() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("junk.key"), "not a key");
        assertThatThrownBy(() -> start("rsa.crt", "junk.key", false)).isInstanceOf(IOException.class)
                .hasMessageContaining("junk.key");
        assertThatThrownBy(() -> start("missing.crt", "rsa-pkcs8.key", false)).isInstanceOf(IOException.class);
    }

}
