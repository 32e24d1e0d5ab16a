package io.dflockd.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Cancellation handle of one asynchronous operation: cancelling closes the connection the operation
 * is blocked on, and a connection attached after cancellation is closed at once.
 */
final class Op {
    private DflockdConnection attached;
    private boolean cancelled;
    private boolean finished;

    /** Registers the connection the operation is about to block on; false (and closed) if cancelled. */
    synchronized boolean attach(DflockdConnection c) {
        if (cancelled) {
            c.close();
            return false;
        }
        attached = c;
        return true;
    }

    /** The operation has returned; a later cancel must not touch its connection. */
    synchronized void finish() {
        finished = true;
        attached = null;
    }

    synchronized void cancel() {
        if (finished) {
            return;
        }
        cancelled = true;
        if (attached != null) {
            attached.close();
        }
    }

    /**
     * Runs {@code body} on a worker; cancelling the future closes the connection it blocks on, and a
     * result that arrives after cancellation is undone with {@code undo}.
     */
    static <T> CompletableFuture<T> submit(Function<Op, T> body, Consumer<T> undo) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Op op = new Op();
        f.whenComplete((v, e) -> {
            if (f.isCancelled()) {
                op.cancel();
            }
        });
        Shared.workers().execute(() -> {
            T v;
            try {
                v = body.apply(op);
            } catch (Throwable e) {
                op.finish();
                f.completeExceptionally(e);
                return;
            }
            op.finish();
            if (!f.complete(v) && undo != null) {
                undo.accept(v);
            }
        });
        return f;
    }
}
