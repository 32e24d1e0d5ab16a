package io.dflockd.server.net;

import io.dflockd.protocol.Args;
import io.dflockd.protocol.Command;
import io.dflockd.protocol.ErrorCode;
import io.dflockd.protocol.Keys;
import io.dflockd.protocol.ProtocolException;
import io.dflockd.protocol.Status;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.Outcome;
import io.dflockd.protocol.ProtocolLimits;
import io.dflockd.protocol.Subjects;
import io.dflockd.server.signal.ListenResult;
import io.dflockd.server.signal.SignalRouter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

/**
 * The per-connection command loop (PROTOCOL.md §3, §6): authenticates, validates arguments, calls the
 * lock manager and writes exactly one reply per request, in order. A blocking call pauses the decoder
 * until its outcome arrives, so requests are handled strictly one at a time.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = System.getLogger(ConnectionHandler.class.getName());
    private static final long AUTH_FAILURE_DELAY_MS = 100;

    private final ServerContext server;
    private final LockManager locks;
    private final SignalRouter signals;
    private final RequestDecoder decoder;
    private PushChannel subscriber;
    private ChannelHandlerContext ctx;
    private LockOwner owner;
    private boolean authenticated;
    private boolean closing;
    /** The request being answered, for the debug log's reply line. */
    private Command current;
    private String currentKey;
    /** Set while pushes this connection published wait to be written by other event loops. */
    private boolean awaitingHandOver;
    private final Runnable resumeAfterHandOver = () -> {
        awaitingHandOver = false;
        updateAutoRead();
    };

    public ConnectionHandler(ServerContext server, RequestDecoder decoder) {
        this.server = server;
        this.locks = server.locks();
        this.signals = server.signals();
        this.decoder = decoder;
        this.authenticated = server.authToken() == null;
    }

    /** The connection's lock-side identity (stats shows its id as {@code owner_conn_id}). */
    public LockOwner owner() {
        return owner;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.owner = new LockOwner(server.nextConnectionId());
        PushChannel.bindPublisherLoop(ctx.executor());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closing = true;
        decoder.finish();
        locks.disconnect(owner);
        if (subscriber != null) {
            signals.removeAll(subscriber);
        }
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
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslCloseCompletionEvent) {
            // The peer's TLS close_notify ends its stream, as a TCP FIN does (PROTOCOL.md §3 step 4):
            // close now, which answers close_notify and runs the disconnect cleanup (§7.8). The JDK
            // engine does not answer a TLS 1.3 close_notify by itself, and a client that waits for
            // the answer with TCP still open (Python asyncio) would otherwise keep its locks held.
            LOG.log(Level.DEBUG, () -> owner + ": TLS close_notify from the peer; closing");
            closeNow();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, () -> owner + ": closing after " + cause);
        closeNow();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) {
            return;
        }
        Request req = (Request) msg;
        switch (req.event()) {
            case REQUEST:
                handle(req);
                return;
            case LINE_TOO_LONG:
                fail(ErrorCode.LINE_TOO_LONG);
                return;
            case READ_TIMEOUT:
                fail(ErrorCode.READ_TIMEOUT);
                return;
            default:
                LOG.log(Level.DEBUG, () -> owner + ": pipelined data during a blocking call; closing");
                closeNow();
        }
    }

    /** A fatal framing error: auth failure if unauthenticated, else {@code error}, then close. */
    private void fail(ErrorCode code) {
        LOG.log(Level.DEBUG, () -> owner + ": " + code.description() + " (code " + code.code() + "); closing");
        current = null;
        currentKey = null;
        if (!authenticated) {
            rejectAuth();
        } else {
            replyAndClose(Status.ERROR);
        }
    }

    private void handle(Request req) {
        Command cmd = req.command();
        RequestLog.request(owner, req, authenticated);
        current = cmd;
        currentKey = req.key();
        if (!authenticated) {
            authenticate(cmd, req.arg());
            return;
        }
        if (server.draining() && !allowedWhileDraining(cmd)) {
            replyAndClose(Status.ERROR_DRAINING);
            return;
        }
        try {
            if (cmd == null) {
                throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND, "unknown command");
            }
            if (cmd.keyed()) {
                Keys.checkWireKey(req.key());
            }
            dispatch(cmd, req.key(), req.arg());
        } catch (ProtocolException e) {
            LOG.log(Level.DEBUG, () -> owner + ": " + e.getMessage() + " (code " + e.code().code() + ")");
            reply(Status.ERROR);
        }
        if (server.draining() && !closing && !owner.isBlocked() && owner.heldCount() == 0) {
            closeAfterFlush();
        }
    }

    private void dispatch(Command cmd, String key, String arg) throws ProtocolException {
        switch (cmd) {
            case LOCK: {
                String[] f = Args.fields(arg, 1, 2);
                long timeout = Args.timeout(f[0]);
                long lease = f.length > 1 ? Args.leaseTtl(f[1]) : 0;
                answer(locks.acquire(owner, key, 1, timeout, lease, this::onWaitOutcome));
                return;
            }
            case SEM_LOCK: {
                String[] f = Args.fields(arg, 2, 3);
                long timeout = Args.timeout(f[0]);
                int limit = Args.limit(f[1]);
                long lease = f.length > 2 ? Args.leaseTtl(f[2]) : 0;
                answer(locks.acquire(owner, key, limit, timeout, lease, this::onWaitOutcome));
                return;
            }
            case RELEASE:
            case SEM_RELEASE: {
                String token = Args.trim(arg);
                if (token.isEmpty()) {
                    throw new ProtocolException(ErrorCode.EMPTY_TOKEN, "empty token");
                }
                answer(locks.release(key, token));
                return;
            }
            case RENEW:
            case SEM_RENEW: {
                String[] f = Args.fields(arg, 0, 2);
                if (f.length == 0) {
                    throw new ProtocolException(ErrorCode.EMPTY_TOKEN, "empty token");
                }
                long lease = f.length > 1 ? Args.leaseTtl(f[1]) : 0;
                answer(locks.renew(key, f[0], lease));
                return;
            }
            case ENQUEUE: {
                String[] f = Args.fields(arg, 0, 1);
                long lease = f.length > 0 ? Args.leaseTtl(f[0]) : 0;
                answer(locks.enqueue(owner, key, 1, lease));
                return;
            }
            case SEM_ENQUEUE: {
                String[] f = Args.fields(arg, 1, 2);
                int limit = Args.limit(f[0]);
                long lease = f.length > 1 ? Args.leaseTtl(f[1]) : 0;
                answer(locks.enqueue(owner, key, limit, lease));
                return;
            }
            case WAIT:
            case SEM_WAIT: {
                String[] f = Args.fields(arg, 1, 1);
                answer(locks.await(owner, key, Args.timeout(f[0]), this::onWaitOutcome));
                return;
            }
            case STATS:
                write(Replies.okPayload(ctx.alloc(), server.statsJson()));
                return;
            case PING:
                reply(Status.OK);
                return;
            case LISTEN:
            case UNLISTEN: {
                if (!Subjects.isValidPattern(key)) {
                    throw new ProtocolException(ErrorCode.BAD_KEY, "invalid pattern");
                }
                String group = Args.trim(arg);
                if (cmd == Command.UNLISTEN) {
                    if (subscriber != null) {
                        signals.unlisten(subscriber, key, group);
                    }
                    reply(Status.OK);
                    return;
                }
                if (subscriber == null) {
                    subscriber = new PushChannel(ctx.channel(), owner.id());
                }
                reply(signals.listen(subscriber, key, group) == ListenResult.OK ? Status.OK : Status.ERROR);
                return;
            }
            case SIGNAL: {
                if (Subjects.hasWildcard(key)) {
                    throw new ProtocolException(ErrorCode.BAD_KEY, "wildcard in signal channel");
                }
                if (!Args.hasContent(arg) || arg.length() > ProtocolLimits.maxPayloadBytes(key.length())) {
                    throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "empty or oversized payload");
                }
                write(Replies.okNumber(ctx.alloc(), signals.publish(key, arg)));
                return;
            }
            case AUTH:
                // No token configured, or already authenticated: not a session command.
                reply(Status.ERROR);
                return;
            default:
                throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND, "command not enabled: " + cmd.wire());
        }
    }

    private void answer(Outcome o) {
        switch (o.kind()) {
            case PENDING:
                decoder.pause();
                return;
            case GRANTED:
                write(Replies.grant(ctx.alloc(), Status.OK, o.token(), o.seconds()));
                return;
            case ACQUIRED:
                write(Replies.grant(ctx.alloc(), Status.ACQUIRED, o.token(), o.seconds()));
                return;
            case RENEWED:
                write(Replies.okNumber(ctx.alloc(), o.seconds()));
                return;
            default:
                reply(Replies.statusOf(o.kind()));
        }
    }

    /** Outcome of a blocking call; arrives from whichever thread granted or timed it out. */
    private void onWaitOutcome(Outcome o) {
        try {
            ctx.executor().execute(() -> deliverWaitOutcome(o));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // The server is shutting down; the connection's cleanup releases anything granted.
        }
    }

    private void deliverWaitOutcome(Outcome o) {
        locks.waitFinished(owner);
        if (closing) {
            return;
        }
        if (o.kind() == Outcome.Kind.GRANTED && !o.holder().isLive()) {
            // The lease ran out between the grant and this hand-over (very short leases).
            reply(Status.ERROR_LEASE_EXPIRED);
        } else {
            answer(o);
        }
        if (server.draining() && owner.heldCount() == 0) {
            closeAfterFlush();
            return;
        }
        decoder.resume();
    }

    // ---- auth (PROTOCOL.md §4) ----

    private void authenticate(Command cmd, String arg) {
        if (cmd == Command.AUTH && constantTimeEquals(Args.trim(arg), server.authToken())) {
            authenticated = true;
            reply(Status.OK);
        } else {
            LOG.log(Level.INFO, () -> owner + " " + ctx.channel().remoteAddress() + ": authentication failed");
            rejectAuth();
        }
    }

    private static boolean constantTimeEquals(String given, byte[] expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.ISO_8859_1), expected);
    }

    private void rejectAuth() {
        closing = true;
        decoder.finish();
        ByteBuf reply = Replies.bare(Status.ERROR_AUTH);
        RequestLog.reply(owner, reply, current, currentKey);
        ctx.writeAndFlush(reply);
        ctx.executor().schedule(this::closeNow, AUTH_FAILURE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    // ---- draining (PROTOCOL.md §13) ----

    private static boolean allowedWhileDraining(Command cmd) {
        return cmd == Command.RELEASE || cmd == Command.SEM_RELEASE || cmd == Command.RENEW
                || cmd == Command.SEM_RENEW || cmd == Command.PING;
    }

    /**
     * Shutdown began: a blocked call is answered {@code error_draining}, a connection holding nothing
     * is closed, a holder stays open so it can release. Call on the event loop.
     */
    public void beginDrain() {
        if (closing) {
            return;
        }
        if (locks.cancelWait(owner)) {
            locks.waitFinished(owner);
            replyAndClose(Status.ERROR_DRAINING);
        } else if (owner.heldCount() == 0 && !owner.isBlocked()) {
            closeNow();
        }
    }

    // ---- writing ----

    private void reply(Status s) {
        write(Replies.bare(s));
    }

    private void write(ByteBuf reply) {
        RequestLog.reply(owner, reply, current, currentKey);
        ctx.writeAndFlush(reply, ctx.voidPromise());
    }

    private void replyAndClose(Status s) {
        closing = true;
        decoder.finish();
        ByteBuf reply = Replies.bare(s);
        RequestLog.reply(owner, reply, current, currentKey);
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

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        // Back-pressure: stop taking requests while replies cannot drain (StalledReaderHandler
        // closes a peer that never drains them).
        updateAutoRead();
        super.channelWritabilityChanged(ctx);
    }
}
