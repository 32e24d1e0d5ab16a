package io.dflockd.server.lock;

import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.Request;
import io.dflockd.server.data.DataStore;

/**
 * The lock-family and data requests as lock-manager calls (the data ones through its
 * {@link DataStore}): the one mapping from a typed request to the manager, used by a TCP connection
 * and by the cluster's replicated apply alike.
 */
public final class LockRequests {
    private LockRequests() {
    }

    /**
     * Whether {@code r} is a lock, semaphore or read-write lock command (l, sl, rl, wl, r, sr, rr, wr,
     * n, sn, rn, wn, k, sk, e, se, re, we, w, sw, rw, ww), {@code elect} / {@code resign}, which are
     * {@code l} / {@code r} on the election's key (PROTOCOL.md §6.15), a data command of the manager's
     * {@link DataStore} (§6.16-6.18, and §6.20's {@code bwait}, a blocking call like {@code w}): they
     * are replicated, redirected and answered alike.
     */
    public static boolean handles(Request r) {
        return DataStore.handles(r) || r instanceof Request.Acquire || r instanceof Request.Release || r instanceof Request.Renew
                || r instanceof Request.Enqueue || r instanceof Request.Wait || r instanceof Request.Keep
                || r instanceof Request.Elect || r instanceof Request.Resign;
    }

    /**
     * Runs a lock-family or data request for {@code owner}. A blocking call returns
     * {@link Outcome.Kind#PENDING} and later hands its final outcome to {@code waits}.
     *
     * @throws IllegalArgumentException if {@link #handles} says no
     */
    public static Outcome execute(LockManager locks, LockOwner owner, Request r, WaitListener waits) {
        if (DataStore.handles(r)) {
            return locks.data().execute(owner, r, waits);
        }
        if (r instanceof Request.Acquire a) {
            return a.kind().readWrite()
                    ? locks.acquireReadWrite(owner, a.key(), a.kind() == LockKind.WRITE, a.timeoutSeconds(),
                            a.leaseSeconds(), waits)
                    : locks.acquire(owner, a.key(), a.limit(), a.timeoutSeconds(), a.leaseSeconds(), waits);
        }
        // Release, renew, keep and wait go by token or by the connection's record, whatever the kind
        // (PROTOCOL.md §6.14, as upstream).
        if (r instanceof Request.Release rel) {
            return locks.release(rel.key(), rel.token());
        }
        if (r instanceof Request.Elect el) {
            return locks.elect(owner, el.key(), el.timeoutSeconds(), el.leaseSeconds(), waits);
        }
        if (r instanceof Request.Resign res) {
            return locks.resign(res.key(), res.token());
        }
        if (r instanceof Request.Renew n) {
            return locks.renew(n.key(), n.token(), n.leaseSeconds());
        }
        if (r instanceof Request.Keep k) {
            return locks.keep(k.key(), k.token(), k.leaseSeconds());
        }
        if (r instanceof Request.Enqueue e) {
            return e.kind().readWrite()
                    ? locks.enqueueReadWrite(owner, e.key(), e.kind() == LockKind.WRITE, e.leaseSeconds())
                    : locks.enqueue(owner, e.key(), e.limit(), e.leaseSeconds());
        }
        if (r instanceof Request.Wait w) {
            return locks.await(owner, w.key(), w.timeoutSeconds(), waits);
        }
        throw new IllegalArgumentException("not a lock command: " + r.command());
    }
}
