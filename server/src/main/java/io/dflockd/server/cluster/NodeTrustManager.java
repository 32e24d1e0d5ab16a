package io.dflockd.server.cluster;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX checks (chain to a trusted CA, validity, and on the client side the host name
 * when the engine asks for it), then the node-id rule: a dialed peer must be the node of the
 * address dialed, any other peer some node of the cluster. Every refusal is logged.
 */
final class NodeTrustManager extends X509ExtendedTrustManager {
    /** Every Raft TLS refusal goes to one logger. */
    private static final Logger LOG = System.getLogger(RaftTls.class.getName());

    private final String self;
    private final X509ExtendedTrustManager pkix;
    /** Node ids by Raft address, {@code host:port} as in {@code --cluster-peers}. */
    private final Map<String, String> nodeAt;

    NodeTrustManager(String self, X509ExtendedTrustManager pkix, Map<String, String> nodeAt) {
        this.self = self;
        this.pkix = pkix;
        this.nodeAt = nodeAt;
    }

    /** The node whose Raft address {@code engine} dialed, or {@code null} (an accepted connection). */
    private String dialed(SSLEngine engine) {
        if (engine == null || engine.getPeerHost() == null) {
            return null;
        }
        String id = nodeAt.get(engine.getPeerHost() + ":" + engine.getPeerPort());
        return id != null ? id : nodeAt.get("[" + engine.getPeerHost() + "]:" + engine.getPeerPort());
    }

    @FunctionalInterface
    private interface Check {
        void run() throws CertificateException;
    }

    private void verify(String side, X509Certificate[] chain, String expected, Check pkixCheck)
            throws CertificateException {
        try {
            pkixCheck.run();
            Set<String> names = chain.length == 0 ? Set.of() : RaftTls.names(chain[0]);
            if (expected != null && !names.contains(expected)) {
                throw new CertificateException("the certificate names " + names + " (CN and DNS SANs), not "
                        + expected + ", the node at the address dialed");
            }
            if (names.stream().noneMatch(nodeAt::containsValue)) {
                throw new CertificateException("the certificate names " + names + " (CN and DNS SANs), none of "
                        + "them a node id of the cluster " + new TreeSet<>(nodeAt.values()));
            }
        } catch (CertificateException e) {
            String subject = chain.length == 0 ? "(none)" : chain[0].getSubjectX500Principal().getName();
            LOG.log(Level.WARNING, self + ": refused a Raft " + side + " with the certificate " + subject + ": "
                    + e.getMessage());
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify("client", chain, null, () -> pkix.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify("client", chain, null, () -> pkix.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify("client", chain, null, () -> pkix.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify("server", chain, null, () -> pkix.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify("server", chain, null, () -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify("server", chain, dialed(engine), () -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
