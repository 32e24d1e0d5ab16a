package io.dflockd.server.tls;

import java.io.IOException;
import java.io.StringWriter;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates a throwaway CA, server and client certificates at test time and writes them as PEM in
 * the key formats openssl users have (PKCS#8, PKCS#1, SEC1). Nothing here is ever committed.
 */
public final class TestCerts {
    /** Private key encodings. */
    public enum KeyFormat { PKCS8, TRADITIONAL }

    public final KeyPair caKeys;
    public final X509Certificate ca;

    private TestCerts(KeyPair caKeys, X509Certificate ca) {
        this.caKeys = caKeys;
        this.ca = ca;
    }

    /** A new self-signed CA. */
    public static TestCerts newCa() throws Exception {
        KeyPair keys = rsa();
        X509Certificate ca = sign(new X500Name("CN=dflockd test CA"), keys, new X500Name("CN=dflockd test CA"),
                keys.getPrivate(), true);
        return new TestCerts(keys, ca);
    }

    /** A leaf certificate signed by this CA, valid for localhost and 127.0.0.1. */
    public X509Certificate issue(String cn, KeyPair leaf) throws Exception {
        return issue(cn, leaf, "localhost", "127.0.0.1");
    }

    /** A leaf certificate signed by this CA for the given DNS names / IP addresses (none: no SAN extension). */
    public X509Certificate issue(String cn, KeyPair leaf, String... names) throws Exception {
        return sign(new X500Name("CN=" + cn), leaf, new X500Name("CN=dflockd test CA"), caKeys.getPrivate(), false,
                names);
    }

    /**
     * A self-signed RSA certificate for the given DNS names / IP addresses, written as PEM
     * certificate and PKCS#8 key (what {@code openssl req -x509 -nodes} produces).
     */
    public static void selfSigned(Path certFile, Path keyFile, String... names) throws Exception {
        KeyPair keys = rsa();
        X500Name cn = new X500Name("CN=dflockd-test");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cn, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), cn,
                keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, sans(names));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        writeCert(certFile, cert);
        writeKey(keyFile, keys.getPrivate(), KeyFormat.PKCS8);
    }

    public static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    public static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    public static void writeCert(Path file, X509Certificate... chain) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate c : chain) {
                pem.writeObject(c);
            }
        }
        Files.writeString(file, out.toString());
    }

    public static void writeKey(Path file, PrivateKey key, KeyFormat format) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            if (format == KeyFormat.PKCS8) {
                pem.writeObject(new JcaPKCS8Generator(key, null));
            } else if (key instanceof java.security.interfaces.ECPrivateKey) {
                // SEC1 as openssl writes it: with the named curve in [0] (the JDK's own encoding omits it).
                var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
                var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                        ((java.security.interfaces.ECPrivateKey) key).getS(),
                        info.getPrivateKeyAlgorithm().getParameters());
                pem.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } else {
                pem.writeObject(key); // RSA PRIVATE KEY (PKCS#1)
            }
        }
        Files.writeString(file, out.toString());
    }

    /**
     * Writes {@code server.crt} (a leaf for localhost and 127.0.0.1 signed by a new CA) and
     * {@code server.key} (PKCS#8) into {@code dir}, and returns a client context trusting that CA.
     */
    public static SSLContext localhostServerFiles(Path dir) throws Exception {
        TestCerts certs = newCa();
        KeyPair keys = rsa();
        writeCert(dir.resolve("server.crt"), certs.issue("localhost", keys));
        writeKey(dir.resolve("server.key"), keys.getPrivate(), KeyFormat.PKCS8);
        return certs.clientContext(null, null);
    }

    /** A client context trusting this CA, optionally presenting a client certificate. */
    public SSLContext clientContext(KeyPair clientKeys, X509Certificate clientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", clientKeys.getPrivate(), new char[0], new X509Certificate[] {clientCert, ca});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
            boolean isCa, String... names) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), subject, subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (names.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, sans(names));
        }
        String alg = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
    }

    /** DNS names and IP addresses (told apart by their form) as a subject alternative name extension. */
    private static GeneralNames sans(String... names) {
        GeneralName[] san = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            boolean ip = names[i].matches("[0-9.]+|.*:.*");
            san[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
        }
        return new GeneralNames(san);
    }
}
