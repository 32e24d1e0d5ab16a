package io.dflockd.server.net;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.ErrorCode;
import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.ProtocolException;
import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import io.dflockd.server.lock.LockSession;
import io.dflockd.server.lock.Outcome;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The session of one connection (PROTOCOL.md §3, §4, §13): authentication, draining, back-pressure
 * and the end of the connection, around the command handlers. Exactly one reply per request, in
 * order: a blocking call pauses the {@link FrameDecoder} until its outcome arrives.
 */
public final class SessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = System.getLogger(SessionHandler.class.getName());
    private static final long AUTH_FAILURE_DELAY_MS = 100;

    private final ServerContext server;
    private final FrameDecoder decoder;
    private ChannelHandlerContext ctx;
    private LockSession session;
    private SignalCommands signalCommands;
    private boolean authenticated;
    private boolean closing;
    /** The request being answered, for the debug log's reply line. */
    private Command current;
    private String currentKey;
    /** Set while a {@code barrier} or a membership change waits for the cluster; the decoder is paused meanwhile. */
    private boolean clusterCallPending;
    /** Set once the connection sent the admin token ({@code admin}, PROTOCOL.md §6.12). */
    private boolean admin;
    /** Set while pushes this connection published wait to be written by other event loops. */
    private boolean awaitingHandOver;
    private final Runnable resumeAfterHandOver = () -> {
        awaitingHandOver = false;
        updateAutoRead();
    };

    SessionHandler(ServerContext server, FrameDecoder decoder) {
        this.server = server;
        this.decoder = decoder;
        this.authenticated = server.authToken() == null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.session = server.lockBackend().open(server.nextConnectionId(), this::onWaitOutcome);
        this.signalCommands = new SignalCommands(server.signals(), server.leaders(), server.watchers(),
                server::currentLocks, ctx.channel(), session.id());
        PushChannel.bindPublisherLoop(ctx.executor());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closing = true;
        decoder.finish();
        session.disconnect();
        signalCommands.close();
        super.channelInactive(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        // Pushes of signals published in this read go out first, then (downstream) our replies.
        // Until other event loops have written their share, read no more from this publisher.
        if (PushChannel.flushPublished(resumeAfterHandOver) > 0) {
            awaitingHandOver = true;
            updateAutoRead();
        }
        super.channelReadComplete(ctx);
    }

    /** Reads only while replies can drain and no signal hand-over to another loop is outstanding. */
    private void updateAutoRead() {
        ctx.channel().config().setAutoRead(!awaitingHandOver && ctx.channel().isWritable());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        // Back-pressure: stop taking requests while replies cannot drain (StalledReaderHandler
        // closes a peer that never drains them).
        updateAutoRead();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslCloseCompletionEvent) {
            // The peer's TLS close_notify ends its stream, as a TCP FIN does (PROTOCOL.md §3 step 4):
            // close now, which answers close_notify and runs the disconnect cleanup (§7.8). The JDK
            // engine does not answer a TLS 1.3 close_notify by itself, and a client that waits for
            // the answer with TCP still open (Python asyncio) would otherwise keep its locks held.
            LOG.log(Level.DEBUG, () -> session + ": TLS close_notify from the peer; closing");
            closeNow();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, () -> session + ": closing after " + cause);
        closeNow();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            return;
        }
        if (msg instanceof Request r) {
            RequestLog.request(session, r.command(), r.key(), r.arg(), authenticated);
            handle(r.command(), r.key(), r, null);
        } else if (msg instanceof InvalidRequest bad) {
            RequestLog.request(session, bad.command(), bad.key(), bad.arg(), authenticated);
            handle(bad.command(), bad.key(), null, bad.error());
        } else if (msg instanceof Frame f) {
            switch (f.event()) {
                case LINE_TOO_LONG -> fail(ErrorCode.LINE_TOO_LONG);
                case READ_TIMEOUT -> fail(ErrorCode.READ_TIMEOUT);
                default -> {
                    LOG.log(Level.DEBUG, () -> session + ": pipelined data during a blocking call; closing");
                    closeNow();
                }
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /** A fatal framing error: auth failure if unauthenticated, else {@code error}, then close. */
    private void fail(ErrorCode code) {
        LOG.log(Level.DEBUG, () -> session + ": " + code.description() + " (code " + code.code() + "); closing");
        current = null;
        currentKey = null;
        if (!authenticated) {
            server.authFailed();
            rejectAuth();
        } else {
            replyAndClose(Status.ERROR);
        }
    }

    /** One request: exactly one of {@code request} (well-formed) and {@code invalid} is set. */
    private void handle(Command cmd, String key, Request request, ProtocolException invalid) {
        current = cmd;
        currentKey = key;
        if (!authenticated) {
            authenticate(request);
            return;
        }
        if (server.draining() && !allowedWhileDraining(cmd)) {
            replyAndClose(Status.ERROR_DRAINING);
            return;
        }
        if (invalid != null) {
            LOG.log(Level.DEBUG, () -> session + ": " + invalid.getMessage() + " (code " + invalid.code().code() + ")");
            reply(Status.ERROR);
        } else {
            dispatch(request);
        }
        if (server.draining() && !closing && !session.isBlocked() && !clusterCallPending && session.heldCount() == 0) {
            closeAfterFlush();
        }
    }

    private void dispatch(Request r) {
        if ((LockCommands.handles(r) || r instanceof Request.Barrier) && redirected()) {
            return;
        }
        if (LockCommands.handles(r)) {
            answer(session.execute(r));
        } else if (SignalCommands.handles(r)) {
            write(signalCommands.execute(r));
        } else if (r instanceof Request.QueryStats) {
            write(new Reply.Payload(new String(server.statsJson(), StandardCharsets.ISO_8859_1)));
        } else if (r instanceof Request.Ping) {
            reply(Status.OK);
        } else if (r instanceof Request.Barrier) {
            barrier();
        } else if (r instanceof Request.Admin a) {
            elevate(a);
        } else if (r instanceof Request.Membership m) {
            changeMembership(m);
        } else if (r instanceof Request.StableRef ref) {
            reply(session.bindStableRef(ref.ref()) ? Status.OK : Status.ERROR);
        } else {
            reply(Status.ERROR); // auth when no token is configured, or again after authenticating
        }
    }

    /** Redirect mode on a follower (CLUSTER-DESIGN.md §4.2): answers {@code error_not_leader} and returns true. */
    private boolean redirected() {
        Reply notLeader = server.redirect();
        if (notLeader != null) {
            write(notLeader);
        }
        return notLeader != null;
    }

    private void answer(Outcome o) {
        if (o.kind() == Outcome.Kind.PENDING) {
            decoder.pause();
        } else {
            write(LockCommands.replyOf(o));
        }
    }

    /** Outcome of a blocking call; arrives from whichever thread granted or timed it out. */
    private void onWaitOutcome(Outcome o) {
        onEventLoop(() -> deliverWaitOutcome(o));
    }

    /** Runs {@code task} on this connection's event loop, unless the server is shutting down. */
    private void onEventLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // The server is shutting down; the connection closes with it (its cleanup releases what it held).
        }
    }

    private void deliverWaitOutcome(Outcome o) {
        session.waitFinished();
        if (closing) {
            return;
        }
        if (o.kind() == Outcome.Kind.UNAVAILABLE) {
            LOG.log(Level.WARNING, () -> session + ": the cluster did not commit its request in time; closing");
            replyAndClose(Status.ERROR);
            return;
        }
        if (o.kind() == Outcome.Kind.GRANTED && !o.holder().isLive()) {
            // The lease ran out between the grant and this hand-over (very short leases).
            reply(Status.ERROR_LEASE_EXPIRED);
        } else {
            answer(o);
        }
        resumeDecoding();
    }

    /** A paused request was answered: decode the next one, or close a drained connection that holds nothing. */
    private void resumeDecoding() {
        if (server.draining() && session.heldCount() == 0) {
            closeAfterFlush();
            return;
        }
        decoder.resume();
    }

    /**
     * {@code barrier} (PROTOCOL.md §6.11): {@code ok} at once when there is nothing to wait for
     * (standalone), else the decoder pauses, as for a blocking call, until the cluster's read is done.
     */
    private void barrier() {
        awaitCluster("barrier", server::barrier);
    }

    /**
     * Answers {@code ok} when the stage {@code call} starts completes, {@code error} when it fails;
     * decoding pauses until then, as for a blocking call.
     */
    private void awaitCluster(String what, Supplier<CompletionStage<?>> call) {
        CompletableFuture<?> done;
        try {
            done = call.get().toCompletableFuture();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> session + ": " + what + " not started: " + e);
            reply(Status.ERROR);
            return;
        }
        if (done.isDone()) {
            reply(done.isCompletedExceptionally() ? Status.ERROR : Status.OK);
            return;
        }
        clusterCallPending = true;
        decoder.pause();
        done.whenComplete((v, e) -> onEventLoop(() -> clusterCallDone(what, e)));
    }

    private void clusterCallDone(String what, Throwable failure) {
        if (!clusterCallPending || closing) {
            return;
        }
        clusterCallPending = false;
        if (failure != null) {
            LOG.log(Level.DEBUG, () -> session + ": " + what + " failed: " + failure);
        }
        reply(failure == null ? Status.OK : Status.ERROR);
        resumeDecoding();
    }

    // ---- membership (PROTOCOL.md §6.12) ----

    /** {@code admin}: a wrong token is answered as a failed {@code auth} (§4): {@code error_auth}, then close. */
    private void elevate(Request.Admin a) {
        ClusterAdmin access = server.clusterAdmin();
        if (!access.enabled()) {
            reply(Status.ERROR);
        } else if (constantTimeEquals(a.token(), access.token())) {
            admin = true;
            reply(Status.OK);
        } else {
            LOG.log(Level.INFO, () -> session + " " + ctx.channel().remoteAddress() + ": wrong admin token");
            rejectAuth();
        }
    }

    private void changeMembership(Request.Membership change) {
        ClusterAdmin access = server.clusterAdmin();
        if (!access.enabled()) {
            reply(Status.ERROR);
        } else if (!admin) {
            reply(Status.ERROR_AUTH);
        } else {
            LOG.log(Level.INFO, () -> session + " " + ctx.channel().remoteAddress() + ": " + change);
            awaitCluster(change.command().wire(), () -> access.changes().apply(change));
        }
    }

    // ---- auth (PROTOCOL.md §4) ----

    private void authenticate(Request r) {
        if (r instanceof Request.Auth a && constantTimeEquals(a.token(), server.authToken())) {
            authenticated = true;
            reply(Status.OK);
        } else {
            LOG.log(Level.INFO, () -> session + " " + ctx.channel().remoteAddress() + ": authentication failed");
            server.authFailed();
            rejectAuth();
        }
    }

    private static boolean constantTimeEquals(String given, byte[] expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.ISO_8859_1), expected);
    }

    /** Answers {@code error_auth}, reads nothing more and closes after a brake on guessing. */
    private void rejectAuth() {
        closing = true;
        decoder.finish();
        Reply reply = Reply.Bare.of(Status.ERROR_AUTH);
        RequestLog.reply(session, reply, current, currentKey);
        ctx.writeAndFlush(reply);
        ctx.executor().schedule(this::closeNow, AUTH_FAILURE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    // ---- draining (PROTOCOL.md §13) ----

    /** Release, renew and keep of every kind, {@code resign} and {@code ping}: what a holder needs to finish. */
    private static boolean allowedWhileDraining(Command cmd) {
        LockKind kind = LockKind.of(cmd);
        return kind != null ? cmd == kind.release() || cmd == kind.renew()
                : cmd == Command.KEEP || cmd == Command.SEM_KEEP || cmd == Command.RESIGN || cmd == Command.PING;
    }

    /**
     * Shutdown began: a blocked call is answered {@code error_draining} (a {@code bwait} is answered
     * {@code timeout}: its party left the barrier, PROTOCOL.md §6.20), a connection holding nothing
     * is closed, a holder stays open so it can release. Call on the event loop.
     */
    void beginDrain() {
        if (closing) {
            return;
        }
        if (session.cancelWait()) {
            session.waitFinished();
            replyAndClose(current == Command.BWAIT ? Status.TIMEOUT : Status.ERROR_DRAINING);
        } else if (clusterCallPending) {
            clusterCallPending = false;
            replyAndClose(Status.ERROR_DRAINING);
        } else if (session.heldCount() == 0 && !session.isBlocked()) {
            closeNow();
        }
    }

    // ---- writing and closing ----

    private void reply(Status s) {
        write(Reply.Bare.of(s));
    }

    private void write(Reply reply) {
        RequestLog.reply(session, reply, current, currentKey);
        ctx.writeAndFlush(reply, ctx.voidPromise());
    }

    private void replyAndClose(Status s) {
        closing = true;
        decoder.finish();
        Reply reply = Reply.Bare.of(s);
        RequestLog.reply(session, reply, current, currentKey);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    private void closeAfterFlush() {
        closing = true;
        decoder.finish();
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void closeNow() {
        closing = true;
        decoder.finish();
        ctx.close();
    }
}
