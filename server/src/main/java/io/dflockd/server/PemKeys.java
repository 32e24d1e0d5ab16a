package io.dflockd.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys the way openssl writes them: PKCS#8 ({@code PRIVATE KEY})
 * and the traditional PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) forms. The
 * traditional forms are re-wrapped as PKCS#8, which is all the JDK's key factories accept.
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final byte[] RSA_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemKeys() {
    }

    /** The certificates in the PEM file named by {@code setting} (a flag, for messages). */
    static List<X509Certificate> certificates(String setting, Path file) throws UnusableFileException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (String[] block : blocks(setting, file)) {
                if (block[0].equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(decode(block[1]))));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UnusableFileException(setting, file + ": not a valid PEM certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new UnusableFileException(setting, file + ": no PEM CERTIFICATE block found", null);
        }
        return out;
    }

    /** The private key in the PEM file named by {@code setting}. */
    static PrivateKey privateKey(String setting, Path file) throws UnusableFileException {
        for (String[] block : blocks(setting, file)) {
            try {
                switch (block[0]) {
                    case "PRIVATE KEY":
                        return pkcs8(decode(block[1]));
                    case "RSA PRIVATE KEY":
                        return KeyFactory.getInstance("RSA").generatePrivate(
                                new PKCS8EncodedKeySpec(wrap(algorithm(RSA_OID, null), decode(block[1]))));
                    case "EC PRIVATE KEY": {
                        byte[] sec1 = decode(block[1]);
                        return KeyFactory.getInstance("EC").generatePrivate(
                                new PKCS8EncodedKeySpec(wrap(algorithm(EC_OID, curveOf(sec1)), sec1)));
                    }
                    case "ENCRYPTED PRIVATE KEY":
                        throw new UnusableFileException(setting, file + ": encrypted private keys are not supported; "
                                + "decrypt with: openssl pkcs8 -in key.pem -out plain.pem", null);
                    default:
                        // EC PARAMETERS and friends precede the key in some openssl output.
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new UnusableFileException(setting, file + ": not a valid " + block[0] + ": " + e.getMessage(), e);
            }
        }
        throw new UnusableFileException(setting,
                file + ": no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) found", null);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static List<String[]> blocks(String setting, Path file) throws UnusableFileException {
        String text = UnusableFileException.read(setting, file, StandardCharsets.ISO_8859_1);
        List<String[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64);
    }

    /** The named-curve OID inside a SEC1 key's {@code [0] parameters}, DER-encoded with its tag. */
    private static byte[] curveOf(byte[] sec1) throws GeneralSecurityException {
        Der seq = new Der(sec1);
        seq.enter(0x30);
        seq.skip(0x02); // version
        seq.skip(0x04); // private key
        if (seq.peekTag() != 0xa0) {
            throw new GeneralSecurityException("SEC1 key without curve parameters");
        }
        seq.enter(0xa0);
        return seq.element(0x06);
    }

    private static byte[] algorithm(byte[] oid, byte[] params) {
        byte[] oidTlv = tlv(0x06, oid);
        byte[] p = params != null ? params : new byte[] {0x05, 0x00};
        return tlv(0x30, concat(oidTlv, p));
    }

    private static byte[] wrap(byte[] algorithmId, byte[] key) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithmId, tlv(0x04, key)));
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Just enough of a DER reader to walk a SEC1 structure. */
    private static final class Der {
        private final byte[] b;
        private int pos;

        Der(byte[] b) {
            this.b = b;
        }

        int peekTag() {
            return pos < b.length ? b[pos] & 0xff : -1;
        }

        void enter(int tag) throws GeneralSecurityException {
            expect(tag);
            length();
        }

        void skip(int tag) throws GeneralSecurityException {
            expect(tag);
            int len = length(); // read first: length() advances pos
            pos += len;
        }

        byte[] element(int tag) throws GeneralSecurityException {
            int start = pos;
            expect(tag);
            int len = length();
            pos += len;
            if (pos > b.length) {
                throw new GeneralSecurityException("truncated DER");
            }
            byte[] out = new byte[pos - start];
            System.arraycopy(b, start, out, 0, out.length);
            return out;
        }

        private void expect(int tag) throws GeneralSecurityException {
            if (peekTag() != tag) {
                throw new GeneralSecurityException("unexpected DER tag " + peekTag() + ", wanted " + tag);
            }
            pos++;
        }

        private int length() throws GeneralSecurityException {
            if (pos >= b.length) {
                throw new GeneralSecurityException("truncated DER");
            }
            int first = b[pos++] & 0xff;
            if (first < 0x80) {
                return first;
            }
            int n = first & 0x7f;
            if (n > 3 || pos + n > b.length) {
                throw new GeneralSecurityException("bad DER length");
            }
            int len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (b[pos++] & 0xff);
            }
            return len;
        }
    }
}
