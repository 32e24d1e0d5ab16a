package io.dflockd.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** Builds the server's TLS context: TLS 1.3 preferred, 1.2 accepted, optional client certificates. */
final class TlsContexts {
    private TlsContexts() {
    }

    /** @throws UnusableFileException when a PEM file cannot be read or used */
    static SslContext server(ServerConfig config) throws UnusableFileException {
        List<X509Certificate> chain = PemKeys.certificates("--tls-cert", config.tlsCert());
        PrivateKey key = PemKeys.privateKey("--tls-key", config.tlsKey());
        try {
            SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2");
            if (config.tlsClientCa() != null) {
                List<X509Certificate> cas = PemKeys.certificates("--tls-client-ca", config.tlsClientCa());
                b.trustManager(cas.toArray(new X509Certificate[0])).clientAuth(ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (UnusableFileException e) {
            throw e;
        } catch (Exception e) { // e.g. a key that does not match the certificate
            throw new UnusableFileException("--tls-key", "cannot set up TLS with " + config.tlsKey()
                    + " and the certificate " + config.tlsCert() + ": " + e.getMessage(), e);
        }
    }
}
