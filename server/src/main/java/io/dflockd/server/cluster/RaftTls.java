package io.dflockd.server.cluster;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * Mutual TLS on the Raft port (CLUSTER-DESIGN.md §1.7, {@code --raft-tls-*}): the server, client and
 * admin sides of Ratis's gRPC transport all present this node's certificate and require the peer's,
 * signed by one of the trusted CAs, and naming a node of the cluster: its subject CN or one of its
 * DNS SANs must be a node id (upstream's rule is CN = node id), and Raft server requests must come
 * from a node it names ({@link NodeTrustManager}, {@link PeerIdentityInterceptor}). Each refusal is
 * logged under this class's name in one line naming the certificate and the reason (gRPC reports a
 * failed handshake, if at all, as a stack trace).
 */
public final class RaftTls {
    private final String nodeId;
    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final List<X509Certificate> trusted;

    /**
     * @param nodeId  the node these are for: its certificate must name it, or peers would accept it
     *                under another node's id
     * @param key     this node's private key
     * @param chain   its certificate first, then any intermediates
     * @param trusted the CAs a peer's certificate must chain to
     * @throws IllegalArgumentException when the key does not belong to the certificate, the certificate
     *                                  does not name {@code nodeId}, or a list is empty
     */
    public RaftTls(String nodeId, PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted) {
        if (chain.isEmpty() || trusted.isEmpty()) {
            throw new IllegalArgumentException("a certificate and at least one trusted CA are needed");
        }
        if (!belongs(key, chain.get(0))) {
            throw new IllegalArgumentException("the private key does not belong to the certificate "
                    + chain.get(0).getSubjectX500Principal().getName());
        }
        if (!names(chain.get(0)).contains(nodeId)) {
            throw new IllegalArgumentException("the certificate names " + names(chain.get(0))
                    + " (CN and DNS SANs), not this node's id " + nodeId);
        }
        this.nodeId = nodeId;
        this.key = key;
        this.chain = List.copyOf(chain);
        this.trusted = List.copyOf(trusted);
    }

    /** The node ids {@code cert} can stand for: its subject's CN and its DNS subject alternative names. */
    public static Set<String> names(X509Certificate cert) {
        Set<String> names = new LinkedHashSet<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) { // 2 = dNSName (RFC 5280 GeneralName)
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (InvalidNameException | CertificateParsingException e) {
            // an unparsable subject or SAN names nobody
        }
        return names;
    }

    /** The node these settings are for. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * Ratis parameters turning TLS on for every side of this node's Raft port: a peer's certificate
     * must name one of {@code peers}, the node dialed at a peer's Raft address must be that peer, and
     * a Raft server request must come from a node its sender's certificate names
     * ({@link PeerIdentityInterceptor}).
     */
    Parameters parameters(List<ClusterPeer> peers) {
        Map<String, String> nodeAt = new HashMap<>();
        peers.forEach(p -> nodeAt.put(p.raftAddress(), p.id()));
        Parameters parameters = new Parameters();
        GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(keyManager(), trustManager(nodeAt), true));
        PeerIdentityInterceptor identity = new PeerIdentityInterceptor(nodeId);
        GrpcConfigKeys.Server.setServicesCustomizer(parameters, (builder, types) -> builder.intercept(identity));
        return parameters;
    }

    private KeyManager keyManager() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("raft", key, new char[0], chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, new char[0]);
            return kmf.getKeyManagers()[0];
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot hold the Raft TLS key in memory: " + e.getMessage(), e);
        }
    }

    private TrustManager trustManager(Map<String, String> nodeAt) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("ca" + i, trusted.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager) {
                    return new NodeTrustManager(nodeId, (X509ExtendedTrustManager) tm, Map.copyOf(nodeAt));
                }
            }
            throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the Raft TLS trust store: " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} is the private half of {@code cert}'s public key: sign a nonce, verify it. */
    private static boolean belongs(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519 and friends name their own signature
        };
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
