package io.dflockd.server.cluster;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.ReadIndexRequestProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.thirdparty.io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import org.apache.ratis.thirdparty.io.grpc.Grpc;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallHandler;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.apache.ratis.thirdparty.io.grpc.Status;

/**
 * Binds a peer's certificate to the node it speaks as (upstream's rule: the verified certificate's CN
 * is the node id the peer claims). The TLS handshake only proved the certificate names <em>some</em>
 * node; a Raft server request (vote, append, snapshot, read index, election start) names its sender,
 * and one whose sender the certificate does not name is refused with {@code PERMISSION_DENIED}, so
 * a node cannot vote or lead as another. Client and admin requests carry client ids, not node ids,
 * and pass: any node of the cluster may propose.
 */
final class PeerIdentityInterceptor implements ServerInterceptor {
    /** Every Raft TLS refusal goes to one logger. */
    private static final Logger LOG = System.getLogger(RaftTls.class.getName());

    private final String self;

    PeerIdentityInterceptor(String self) {
        this.self = self;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        Set<String> names = certificateNames(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                String sender = sender(message);
                if (sender != null && !names.contains(sender)) {
                    refused = true;
                    LOG.log(Level.WARNING, self + ": refused a Raft request sent as " + sender
                            + " by a peer whose certificate names " + names);
                    call.close(Status.PERMISSION_DENIED.withDescription(
                            "the TLS certificate names " + names + ", not the sender " + sender), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) { // the call is closed already: nothing more may be answered on it
                    super.onHalfClose();
                }
            }
        };
    }

    private static Set<String> certificateNames(SSLSession session) {
        try {
            Certificate[] chain = session == null ? null : session.getPeerCertificates();
            return chain != null && chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? RaftTls.names(leaf) : Set.of();
        } catch (SSLPeerUnverifiedException e) {
            return Set.of();
        }
    }

    /** The node id a Raft server request says it comes from, or {@code null} for other requests. */
    private static String sender(Object message) {
        RaftRpcRequestProto request;
        if (message instanceof AppendEntriesRequestProto append) {
            request = append.getServerRequest();
        } else if (message instanceof RequestVoteRequestProto vote) {
            request = vote.getServerRequest();
        } else if (message instanceof InstallSnapshotRequestProto snapshot) {
            request = snapshot.getServerRequest();
        } else if (message instanceof ReadIndexRequestProto read) {
            request = read.getServerRequest();
        } else if (message instanceof StartLeaderElectionRequestProto election) {
            request = election.getServerRequest();
        } else {
            return null;
        }
        return request.getRequestorId().toStringUtf8();
    }
}
