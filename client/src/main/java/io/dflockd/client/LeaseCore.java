package io.dflockd.client;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * State and behaviour shared by the lock and semaphore types, sync and async: one connection, the
 * current grant, two-phase state and background renewal (PROTOCOL.md §14.3-14.7).
 *
 * <p>It never references the public object that owns it, so that object can be garbage-collected
 * (and reclaimed by the {@link java.lang.ref.Cleaner}) while a renewal is scheduled.
 *
 * <p>{@code mutex} serialises every operation, including each renewal round trip, so a renewal
 * never interleaves with the user's calls, and {@link #release()} waits for an in-flight renewal.
 * Every new connection bumps {@code generation}; a renewal task that finds another generation (or
 * no token) is stale and exits without I/O.
 */
final class LeaseCore {
    /** Renewal period when the server reports a zero lease. */
    static final long ZERO_LEASE_FALLBACK_MS = 30_000;
    /** Renewal period cap, below the server's 23 s default read timeout (PROTOCOL.md §14.6). */
    static final long MAX_RENEW_PERIOD_MS = 15_000;
    /** Shortest renewal period. */
    static final long MIN_RENEW_PERIOD_MS = 100;

    final String kind;
    final String key;
    final int limit;
    final ClientConfig config;
    final InetSocketAddress server;
    final Duration acquireTimeout;
    final long leaseS;
    private final LeaseLostListener listener;

    private final ReentrantLock mutex = new ReentrantLock();
    private volatile DflockdConnection conn;
    private volatile String token;
    private volatile long leaseSeconds;
    private volatile ScheduledFuture<?> renewal;
    private volatile boolean closed;
    private boolean queued;
    private long generation;

    /** {@code limit} 0 means a lock ({@code l r n e w}); ≥ 1 a semaphore ({@code sl sr sn se sw}). */
    LeaseCore(String kind, String key, int limit, ClientConfig config, Duration acquireTimeout, Duration leaseTtl,
            LeaseLostListener listener) {
        this.kind = kind;
        this.key = Validate.key(key);
        this.limit = limit;
        this.config = java.util.Objects.requireNonNull(config, "config");
        Durations.timeoutSeconds(acquireTimeout, "acquire timeout");
        this.acquireTimeout = acquireTimeout;
        this.leaseS = Durations.leaseSeconds(leaseTtl);
        this.listener = listener;
        this.server = config.serverFor(key);
    }

    // ---- state -----------------------------------------------------------------------------

    String token() {
        return token;
    }

    boolean isHeld() {
        return token != null;
    }

    Duration lease() {
        return token == null ? Duration.ZERO : Duration.ofSeconds(leaseSeconds);
    }

    OptionalLong fence() {
        String t = token;
        return t == null ? OptionalLong.empty() : Grant.fenceOf(t);
    }

    boolean isClosed() {
        return closed;
    }

    // ---- operations ------------------------------------------------------------------------

    /** Single-phase acquire; false on timeout (connection closed). {@code op} may be null. */
    boolean acquire(Duration timeout, Op op) {
        long t = Durations.timeoutSeconds(timeout, "timeout");
        mutex.lock();
        try {
            checkIdleLocked("acquire()");
            DflockdConnection c = openLocked(op);
            Grant g;
            try {
                g = c.lock(key, t, limit, leaseS);
            } catch (AcquireTimeoutException e) {
                dropLocked();
                return false;
            } catch (RuntimeException e) {
                dropLocked();
                throw e;
            }
            grantedLocked(g);
            return true;
        } finally {
            mutex.unlock();
        }
    }

    /** Two-phase step 1 on a fresh connection. */
    EnqueueResult enqueue(Op op) {
        mutex.lock();
        try {
            checkIdleLocked("enqueue()");
            DflockdConnection c = openLocked(op);
            EnqueueResponse r;
            try {
                r = c.enqueue(key, limit, leaseS);
            } catch (RuntimeException e) {
                dropLocked();
                throw e;
            }
            if (r.acquired()) {
                grantedLocked(r.grant());
            } else {
                queued = true;
            }
            return r.status();
        } finally {
            mutex.unlock();
        }
    }

    /** Two-phase step 2: true at once if held, else waits on the enqueue connection. */
    boolean await(Duration timeout, Op op) {
        long t = Durations.timeoutSeconds(timeout, "timeout");
        mutex.lock();
        try {
            checkOpen();
            if (token != null) {
                return true;
            }
            DflockdConnection c = conn;
            if (!queued || c == null) {
                throw new IllegalStateException(kind + " '" + key + "': await() needs a preceding enqueue()"
                        + " that returned QUEUED");
            }
            if (op != null && !op.attach(c)) {
                dropLocked();
                throw new CancellationException("cancelled");
            }
            Grant g;
            try {
                g = c.await(key, t, limit);
            } catch (AcquireTimeoutException e) {
                dropLocked();
                return false;
            } catch (RuntimeException e) {
                dropLocked();
                throw e;
            }
            grantedLocked(g);
            return true;
        } finally {
            mutex.unlock();
        }
    }

    /** Stops renewal (waiting for an in-flight one), releases best-effort, closes the connection. */
    void release() {
        mutex.lock();
        try {
            releaseLocked();
        } finally {
            mutex.unlock();
        }
    }

    /** Releases and refuses further use. Aborts a blocking call that does not finish within 1 s. */
    void close() {
        closed = true;
        boolean locked;
        try {
            locked = mutex.tryLock(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            DflockdConnection c = conn;
            if (c != null) {
                c.close();
            }
            mutex.lock();
        }
        try {
            releaseLocked();
        } finally {
            mutex.unlock();
        }
    }

    /** Cleaner action: the owner became unreachable. Warns if it still had a connection open. */
    void reclaim() {
        boolean wasClosed = closed;
        closed = true;
        DflockdConnection c = conn;
        ScheduledFuture<?> r = renewal;
        if (r != null) {
            r.cancel(false);
        }
        if (c != null && c.isOpen() && !wasClosed) {
            Shared.LOG.log(Level.WARNING, "{0} ''{1}'' was garbage-collected without close(); closing its connection"
                    + " to {2} (the server releases what it held). Always close() or release() it.",
                    kind, key, Addresses.format(server));
        }
        if (c != null) {
            c.close();
        }
    }

    // ---- internals (mutex held) ------------------------------------------------------------

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(kind + " '" + key + "' is closed");
        }
    }

    /**
     * A new request must not silently give up what this instance holds or where it queues (a new
     * request means a new connection, and closing the old one releases on the server).
     */
    private void checkIdleLocked(String call) {
        checkOpen();
        if (token != null) {
            throw new IllegalStateException(kind + " '" + key + "' is already held by this instance; " + call
                    + " again would give it up. release() it first"
                    + (limit > 0 ? ", or use another instance for a second slot" : "")
                    + " (the Lock view, asLock(), is reentrant)");
        }
        if (queued) {
            throw new IllegalStateException(kind + " '" + key + "' is queued by enqueue(); call await() for the"
                    + " grant, or release() to leave the queue, before " + call);
        }
    }

    /** Closes any current connection and opens a new one (TCP → TLS → auth). */
    private DflockdConnection openLocked(Op op) {
        checkOpen();
        dropLocked();
        DflockdConnection c = DflockdConnection.open(config, server);
        if (op != null && !op.attach(c)) {
            throw new CancellationException("cancelled");
        }
        conn = c;
        generation++;
        if (closed) { // close() raced with the connect; it may not have seen this connection
            dropLocked();
            checkOpen();
        }
        return c;
    }

    private void grantedLocked(Grant g) {
        leaseSeconds = g.leaseSeconds();
        token = g.token();
        queued = false;
        long gen = generation;
        scheduleRenewalLocked(gen);
        try {
            conn.watch("dflockd-watch-" + kind + "-" + key, cause -> connectionLost(gen, cause));
        } catch (RuntimeException e) { // the connection died with the grant: nothing is held
            dropLocked();
            throw e;
        }
    }

    /** The held lease's connection ended without the application closing it: the lease is gone. */
    private void connectionLost(long gen, java.io.IOException cause) {
        String lost;
        mutex.lock();
        try {
            if (closed || gen != generation || token == null) {
                return; // released, re-connected or closed meanwhile; a failed call reported it already
            }
            lost = token;
            dropLocked();
        } finally {
            mutex.unlock();
        }
        String why = cause instanceof java.io.EOFException ? "the server closed the connection"
                : "the connection failed: " + (cause.getMessage() == null ? cause : cause.getMessage());
        reportLost(lost, new DflockdIOException(server, why, cause));
    }

    /** Forgets the grant and the connection without telling the server (it auto-releases on close). */
    private void dropLocked() {
        generation++;
        ScheduledFuture<?> r = renewal;
        renewal = null;
        if (r != null) {
            r.cancel(false);
        }
        token = null;
        leaseSeconds = 0;
        queued = false;
        DflockdConnection c = conn;
        conn = null;
        if (c != null) {
            c.close();
        }
    }

    private void releaseLocked() {
        String t = token;
        DflockdConnection c = conn;
        if (t != null && c != null && c.isOpen()) {
            ScheduledFuture<?> r = renewal;
            if (r != null) {
                r.cancel(false);
            }
            try {
                c.unlock(key, t, limit);
            } catch (RuntimeException e) {
                Shared.LOG.log(Level.DEBUG, "release of {0} ''{1}'' failed (the connection is closed anyway): {2}",
                        kind, key, e.getMessage());
            }
        }
        dropLocked();
    }

    static long renewPeriodMs(long leaseSeconds, double ratio) {
        long ms = leaseSeconds <= 0 ? ZERO_LEASE_FALLBACK_MS : (long) (leaseSeconds * 1000.0 * ratio);
        return Math.max(MIN_RENEW_PERIOD_MS, Math.min(MAX_RENEW_PERIOD_MS, ms));
    }

    private void scheduleRenewalLocked(long gen) {
        long delay = renewPeriodMs(leaseSeconds, config.renewRatio());
        renewal = Shared.scheduler().schedule(() -> Shared.workers().execute(() -> renewOnce(gen)),
                delay, TimeUnit.MILLISECONDS);
    }

    private void renewOnce(long gen) {
        Throwable failure;
        String lost;
        boolean notify;
        mutex.lock();
        try {
            DflockdConnection c = conn;
            String t = token;
            if (closed || gen != generation || t == null || c == null) {
                return; // stale: released, reconnected or closed meanwhile
            }
            try {
                leaseSeconds = c.renew(key, t, limit, leaseS);
                scheduleRenewalLocked(gen);
                return;
            } catch (RuntimeException e) {
                failure = e;
                lost = t;
                // closed by the application (cancellation or close()) is not a lost lease to report
                notify = !c.closedByClient() && !closed;
                dropLocked();
            }
        } finally {
            mutex.unlock();
        }
        if (!notify) {
            Shared.LOG.log(Level.DEBUG, "renewal of {0} ''{1}'' stopped: connection closed by the client", kind, key);
            return;
        }
        reportLost(lost, failure);
    }

    /** Logs one line (the stack trace only at DEBUG) and tells the listener; never with the mutex held. */
    private void reportLost(String lost, Throwable failure) {
        Shared.LOG.log(Level.ERROR, "lease of {0} ''{1}'' lost: {2}", kind, key, failure.getMessage());
        Shared.LOG.log(Level.DEBUG, "lease of " + kind + " '" + key + "' lost", failure);
        if (listener != null) {
            try {
                listener.leaseLost(key, lost, failure);
            } catch (RuntimeException e) {
                Shared.LOG.log(Level.WARNING, "lease-lost listener of " + kind + " '" + key + "' threw", e);
            }
        }
    }
}
