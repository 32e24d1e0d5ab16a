package io.dflockd.server.http;

import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * One blocking acquire or wait of a session, answered when the lock manager's outcome arrives (the
 * mirror of a TCP connection's blocked call). Everything after {@link #start} runs on the event loop
 * of the request's connection, so its steps never race each other. When the client goes away
 * while queued, its queue place is withdrawn ({@link LockManager#cancelWait}); when a grant is
 * already on its way, or the response cannot be written, the slot is released at once rather than
 * left to its lease.
 */
final class LongPoll implements WaitListener {
    private final LockManager locks;
    private final HttpSession session;
    private final HttpExchange ex;
    private final String key;
    private final Function<WaitListener, Outcome> call;
    private boolean pending;
    private boolean finished;
    private boolean clientGone;

    /** @param call the lock-manager call, made under the session's monitor with this as its listener */
    LongPoll(LockManager locks, HttpSession session, HttpExchange ex, String key, Function<WaitListener, Outcome> call) {
        this.locks = locks;
        this.session = session;
        this.ex = ex;
        this.key = key;
        this.call = call;
    }

    /** Makes the call on the request's event loop (called by the session when it is this call's turn). */
    void start() {
        ex.executor().execute(this::begin);
    }

    private void begin() {
        if (finished) {
            session.blockingDone(this);
            return;
        }
        if (!ex.clientConnected()) {
            end(() -> LockReplies.clientCanceled(ex));
            return;
        }
        Outcome o = session.call(() -> call.apply(this));
        if (o == null) {
            end(() -> LockReplies.sessionGone(ex));
            return;
        }
        if (o.kind() != Outcome.Kind.PENDING) {
            deliver(o);
            return;
        }
        pending = true;
        ex.onClientGone(this::onClientGone);
    }

    @Override
    public void onOutcome(Outcome o) {
        try {
            ex.executor().execute(() -> deliver(o));
        } catch (RejectedExecutionException stopping) {
            giveBack(o); // the server is stopping
        }
    }

    private void deliver(Outcome o) {
        if (finished) {
            giveBack(o); // answered already (session gone, draining): nobody will use this grant
            return;
        }
        if (pending) {
            synchronized (session) {
                locks.waitFinished(session.owner);
            }
        }
        if (clientGone || !ex.clientConnected()) {
            giveBack(o);
            end(() -> LockReplies.clientCanceled(ex));
        } else if (session.isClosed()) {
            giveBack(o);
            end(() -> LockReplies.sessionGone(ex));
        } else {
            ex.onWriteFailure(() -> giveBack(o));
            end(() -> LockReplies.outcome(ex, o, false));
        }
    }

    /** The client's connection closed: withdraw the queue place, or let {@link #deliver} give the grant back. */
    private void onClientGone() {
        clientGone = true;
        cancel(() -> LockReplies.clientCanceled(ex));
    }

    /** The server began draining: a call still queued is answered {@code 503 draining}. */
    void drain() {
        ex.executor().execute(() -> cancel(() -> LockReplies.draining(ex)));
    }

    /** The session was closed (its waiters are already dropped): answer {@code 410 session_gone}. */
    void sessionClosed() {
        ex.executor().execute(() -> {
            if (!finished) {
                finished = true;
                LockReplies.sessionGone(ex);
            }
        });
    }

    private void cancel(Runnable answer) {
        if (finished || !pending) {
            return;
        }
        boolean cancelled;
        synchronized (session) {
            cancelled = locks.cancelWait(session.owner);
            if (cancelled) {
                locks.waitFinished(session.owner);
            }
        }
        if (cancelled) {
            end(answer);
        }
        // otherwise the outcome is already on its way to deliver()
    }

    private void end(Runnable answer) {
        finished = true;
        answer.run();
        session.blockingDone(this);
    }

    /** Releases a grant nobody will learn of. */
    private void giveBack(Outcome o) {
        if (o.kind() == Outcome.Kind.GRANTED || o.kind() == Outcome.Kind.ACQUIRED) {
            locks.release(key, o.token());
        }
    }
}
