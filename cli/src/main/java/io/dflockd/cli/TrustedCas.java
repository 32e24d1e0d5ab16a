package io.dflockd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An {@link SSLContext} that trusts exactly the CA certificates of one PEM file ({@code --cacert}). */
final class TrustedCas {
    private TrustedCas() {
    }

    /**
     * @throws CliException with {@link ExitCodes#CONFIG} if the file is unreadable or holds no certificate
     */
    static SSLContext sslContext(Path pem) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new CliException(ExitCodes.CONFIG, "--cacert: cannot read " + pem + " ("
                    + FileErrors.describe(e) + ")", e);
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCodes.CONFIG, "--cacert: " + pem + " is not a PEM certificate file: "
                    + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new CliException(ExitCodes.CONFIG, "--cacert: no certificate found in " + pem);
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new CliException(ExitCodes.CONFIG, "--cacert: cannot build a trust store from " + pem + ": "
                    + e.getMessage(), e);
        }
    }
}
