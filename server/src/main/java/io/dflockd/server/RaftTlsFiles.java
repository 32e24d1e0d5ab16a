package io.dflockd.server;

import io.dflockd.server.cluster.RaftTls;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --raft-tls-cert}, {@code --raft-tls-key} and {@code --raft-tls-ca}: all three or none. The
 * files are read with {@link PemKeys}, so they take exactly the formats {@code --tls-*} take.
 */
final class RaftTlsFiles {
    private RaftTlsFiles() {
    }

    /**
     * Node {@code nodeId}'s Raft TLS settings, or {@code null} when none of the three files is given.
     *
     * @throws InvalidSettingException when only some of the three are given
     * @throws UnusableFileException   when a file cannot be read, holds no usable PEM, the key does not
     *                                 belong to the certificate, or the certificate does not name {@code nodeId}
     */
    static RaftTls load(String nodeId, Path cert, Path key, Path ca) throws UnusableFileException {
        if (cert == null && key == null && ca == null) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        if (cert == null) {
            missing.add("--raft-tls-cert");
        }
        if (key == null) {
            missing.add("--raft-tls-key");
        }
        if (ca == null) {
            missing.add("--raft-tls-ca");
        }
        if (!missing.isEmpty()) {
            String given = cert != null ? "--raft-tls-cert" : key != null ? "--raft-tls-key" : "--raft-tls-ca";
            throw new InvalidSettingException(given, "{} requires " + String.join(" and ", missing)
                    + " as well (mutual TLS between nodes takes all three or none)");
        }
        List<X509Certificate> chain = PemKeys.certificates("--raft-tls-cert", cert);
        PrivateKey privateKey = PemKeys.privateKey("--raft-tls-key", key);
        List<X509Certificate> trusted = PemKeys.certificates("--raft-tls-ca", ca);
        try {
            return new RaftTls(nodeId, privateKey, chain, trusted);
        } catch (IllegalArgumentException e) {
            throw new UnusableFileException("--raft-tls-cert", cert + " with the key " + key + ": " + e.getMessage(), e);
        }
    }
}
