package io.dflockd.client;

import io.dflockd.protocol.LockKind;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * State and behaviour shared by the lock, semaphore and read-write lock types, sync and async (a
 * read-write lock has one per side, each a {@link LockKind}), and by {@link LeaderElection} (a lock
 * taken with {@code elect} and given up with {@code resign}): one connection, the
 * current grant ({@link LeaseTerm}) and two-phase state (PROTOCOL.md §14.3-14.7); its
 * {@link LeaseKeeper} renews the grant and reports its loss.
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
    private static final long RECONNECT_PAUSE_MIN_MS = 50;
    private static final long RECONNECT_PAUSE_MAX_MS = 1000;
    /** The commands this core sends: a lock's, a semaphore's, or one side's of a read-write lock. */
    final LockKind kind;
    /** What messages call it: {@code lock}, {@code semaphore}, {@code read lock}, {@code write lock}, {@code election}. */
    final String noun;
    /**
     * A leader election (PROTOCOL.md §6.15): a {@link LockKind#LOCK} that is taken with {@code elect}
     * instead of {@code l} and given up with {@code resign} instead of {@code r}; renewed with {@code n}.
     */
    final boolean election;
    final String key;
    /** A semaphore's number of slots; 0 for the other kinds. */
    final int limit;
    final ClientConfig config;
    final InetSocketAddress server;
    final Duration acquireTimeout;
    final long leaseS;

    final ReentrantLock mutex = new ReentrantLock();
    volatile DflockdConnection conn;
    /** The current grant; null when nothing is held. */
    volatile LeaseTerm term;
    final LeaseLostListener listener;
    /**
     * This instance's stable reference, sent on every connection to a cluster (CLUSTER-DESIGN.md §4.5):
     * a later connection of the instance, through any member, gets back the queue place and the lock
     * a dead connection or node left behind.
     */
    final String stableRef = Shared.randomHex32();
    final LeaseKeeper keeper = new LeaseKeeper(this);
    volatile boolean closed;
    private boolean queued;
    /** Bumped by every new connection and every drop; tasks of an older generation are stale. */
    volatile long generation;

    /** {@code limit} (≥ 1) counts for a {@link LockKind#SEMAPHORE} only; it is 0 for the other kinds. */
    LeaseCore(LockKind kind, String key, int limit, ClientConfig config, Duration acquireTimeout, Duration leaseTtl,
            LeaseLostListener listener) {
        this(kind, false, key, limit, config, acquireTimeout, leaseTtl, listener);
    }

    /** The core of a leader election of {@code name}: single-phase only (there is no two-phase elect). */
    static LeaseCore election(String name, ClientConfig config, Duration leaseTtl, LeaseLostListener listener) {
        return new LeaseCore(LockKind.LOCK, true, name, 0, config, Durations.UNTIL_GRANTED, leaseTtl, listener);
    }

    private LeaseCore(LockKind kind, boolean election, String key, int limit, ClientConfig config,
            Duration acquireTimeout, Duration leaseTtl, LeaseLostListener listener) {
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.election = election;
        this.noun = election ? "election" : switch (kind) {
            case LOCK -> "lock";
            case SEMAPHORE -> "semaphore";
            case READ -> "read lock";
            case WRITE -> "write lock";
        };
        this.key = Validate.key(key);
        if ((kind == LockKind.SEMAPHORE) != (limit > 0)) {
            throw new IllegalArgumentException("a limit is for semaphores only: " + kind + " with limit " + limit);
        }
        this.limit = limit;
        this.config = java.util.Objects.requireNonNull(config, "config");
        Durations.timeoutSeconds(acquireTimeout, "acquire timeout");
        this.acquireTimeout = acquireTimeout;
        this.leaseS = Durations.leaseSeconds(leaseTtl);
        this.listener = listener;
        this.server = config.serverFor(key);
    }

    // ---- state -----------------------------------------------------------------------------

    /** The grant while its hold is proven: a term whose deadline passed is not held any more. */
    private LeaseTerm proven() {
        LeaseTerm t = term;
        return t != null && t.provenAt(System.nanoTime()) ? t : null;
    }

    String token() {
        LeaseTerm t = proven();
        return t == null ? null : t.token();
    }

    boolean isHeld() {
        return proven() != null;
    }

    Duration lease() {
        LeaseTerm t = proven();
        return t == null ? Duration.ZERO : Duration.ofSeconds(t.leaseSeconds());
    }

    OptionalLong fence() {
        String t = token();
        return t == null ? OptionalLong.empty() : Grant.fenceOf(t);
    }

    /** Until when the hold is proven, as wall-clock time; empty if nothing is held. */
    Optional<Instant> leaseValidUntil() {
        LeaseTerm t = proven();
        return t == null ? Optional.empty() : Optional.of(Instant.now().plusNanos(t.remainingNanos(System.nanoTime())));
    }

    /** The loss future of the current grant; an already-cancelled one if nothing is held. */
    CompletableFuture<Throwable> leaseLost() {
        LeaseTerm t = term;
        if (t != null) {
            return t.lost();
        }
        CompletableFuture<Throwable> none = new CompletableFuture<>();
        none.cancel(false);
        return none;
    }

    boolean isClosed() {
        return closed;
    }

    // ---- operations ------------------------------------------------------------------------

    /** Single-phase acquire; false on timeout (connection closed). {@code op} may be null. */
    boolean acquire(Duration timeout, Op op) {
        long t = Durations.timeoutSeconds(timeout, "timeout");
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(t);
        mutex.lock();
        try {
            checkIdleLocked("acquire()");
            DflockdConnection c = openLocked(op);
            long pauseMs = RECONNECT_PAUSE_MIN_MS;
            while (true) {
                long sentAt = System.nanoTime();
                Grant g;
                try {
                    g = election ? c.elect(key, t, leaseS) : c.lock(kind, key, t, limit, leaseS);
                } catch (AcquireTimeoutException e) {
                    dropLocked();
                    return false;
                } catch (DflockdIOException e) {
                    t = secondsLeft(giveUpAt);
                    if (config.clusterMembers().isEmpty() || closed || t <= 0) {
                        dropLocked();
                        throw e;
                    }
                    // Cluster: the node died under the waiting call. Re-send it through another member;
                    // with the stable ref the cluster gives it back its queue place.
                    c = reconnectLocked(op, e, pauseMs, giveUpAt);
                    pauseMs = Math.min(RECONNECT_PAUSE_MAX_MS, pauseMs * 2);
                    t = secondsLeft(giveUpAt);
                    continue;
                } catch (RuntimeException e) {
                    dropLocked();
                    throw e;
                }
                grantedLocked(g, sentAt);
                return true;
            }
        } finally {
            mutex.unlock();
        }
    }

    /** Whole seconds until {@code giveUpAt}, rounded up; 0 once it passed. */
    private static long secondsLeft(long giveUpAt) {
        long left = giveUpAt - System.nanoTime();
        return left <= 0 ? 0 : (left + 999_999_999L) / 1_000_000_000L;
    }

    /**
     * A blocked acquire's connection to a cluster member failed: after {@code pauseMs}, connects
     * through a member that answers, retrying with a growing pause until {@code giveUpAt}.
     *
     * @throws DflockdIOException {@code failure} when no member answered in time
     */
    private DflockdConnection reconnectLocked(Op op, DflockdIOException failure, long pauseMs, long giveUpAt) {
        Shared.LOG.log(Level.WARNING, "{0} ''{1}'': the connection failed while waiting ({2}); waiting on through"
                + " another cluster member", noun, key, failure.getMessage());
        long pause = pauseMs;
        while (true) {
            dropLocked();
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
            try {
                return openLocked(op);
            } catch (DflockdIOException e) {
                if (closed || System.nanoTime() - giveUpAt >= 0) {
                    failure.addSuppressed(e);
                    throw failure;
                }
                pause = Math.min(RECONNECT_PAUSE_MAX_MS, pause * 2);
            }
        }
    }

    /** Two-phase step 1 on a fresh connection. */
    EnqueueResult enqueue(Op op) {
        if (election) {
            throw new UnsupportedOperationException("an election has no two-phase form");
        }
        mutex.lock();
        try {
            checkIdleLocked("enqueue()");
            DflockdConnection c = openLocked(op);
            long sentAt = System.nanoTime();
            EnqueueResponse r;
            try {
                r = c.enqueue(kind, key, limit, leaseS);
            } catch (RuntimeException e) {
                dropLocked();
                throw e;
            }
            if (r.acquired()) {
                grantedLocked(r.grant(), sentAt);
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
            if (term != null) {
                return true;
            }
            DflockdConnection c = conn;
            if (!queued || c == null) {
                throw new IllegalStateException(noun + " '" + key + "': await() needs a preceding enqueue()"
                        + " that returned QUEUED");
            }
            if (op != null && !op.attach(c)) {
                dropLocked();
                throw new CancellationException("cancelled");
            }
            long sentAt = System.nanoTime();
            Grant g;
            try {
                g = c.await(kind, key, t);
            } catch (AcquireTimeoutException e) {
                dropLocked();
                return false;
            } catch (RuntimeException e) {
                dropLocked();
                throw e;
            }
            grantedLocked(g, sentAt);
            return true;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Renews the held lease now, asking for {@code leaseSeconds} ({@code -1}: the configured lease);
     * returns the lease granted. A failure loses the lease, reported as a failed background renewal.
     */
    Duration renew(long leaseSeconds) {
        LeaseTerm lost;
        RuntimeException failure;
        mutex.lock();
        try {
            checkOpen();
            if (term == null || conn == null) {
                throw new IllegalStateException(noun + " '" + key + "' is not held; nothing to renew");
            }
            try {
                keeper.renewNowLocked(generation, leaseSeconds < 0 ? leaseS : leaseSeconds);
                return Duration.ofSeconds(term.leaseSeconds());
            } catch (RuntimeException e) {
                failure = e;
                lost = detachLocked();
            }
        } finally {
            mutex.unlock();
        }
        keeper.reportLost(lost, failure);
        throw failure;
    }

    /**
     * Hands the held lease over to time: the server keeps it for {@code holdSeconds} whatever becomes of
     * this connection, then it expires; this instance stops holding it. If the server refuses (it
     * lacks the extension, or the lease is already gone), nothing changes here and the error is thrown.
     */
    void releaseAfter(long holdSeconds) {
        mutex.lock();
        try {
            checkOpen();
            LeaseTerm t = term;
            if (t == null || conn == null) {
                throw new IllegalStateException(noun + " '" + key + "' is not held; nothing to hand over");
            }
            try {
                conn.keep(kind, key, t.token(), holdSeconds);
            } catch (ServerErrorException e) {
                throw new ServerErrorException(server, "the server refused to keep " + noun + " '" + key
                        + "' (an upstream server lacks this dflockd-for-Java extension, or the lease was already"
                        + " lost): " + e.getMessage(), e);
            }
            dropLocked(); // the connection closes, and the server no longer releases on that
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
        keeper.stop();
        if (c != null && c.isOpen() && !wasClosed) {
            Shared.LOG.log(Level.WARNING, "{0} ''{1}'' was garbage-collected without close(); closing its connection"
                    + " to {2} (the server releases what it held). Always close() or release() it.",
                    noun, key, Addresses.format(server));
        }
        if (c != null) {
            c.close();
        }
    }

    // ---- internals (mutex held) ------------------------------------------------------------

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(noun + " '" + key + "' is closed");
        }
    }

    /**
     * A new request must not silently give up what this instance holds or where it queues (a new
     * request means a new connection, and closing the old one releases on the server).
     */
    private void checkIdleLocked(String call) {
        checkOpen();
        if (term != null) {
            throw new IllegalStateException(noun + " '" + key + "' is already held by this instance; " + call
                    + " again would give it up. release() it first"
                    + (limit > 0 ? ", or use another instance for a second slot" : "")
                    + " (the Lock view, asLock(), is reentrant)");
        }
        if (queued) {
            throw new IllegalStateException(noun + " '" + key + "' is queued by enqueue(); call await() for the"
                    + " grant, or release() to leave the queue, before " + call);
        }
    }

    /** Closes any current connection and opens a new one (TCP → TLS → auth → stable ref). */
    private DflockdConnection openLocked(Op op) {
        checkOpen();
        dropLocked();
        DflockdConnection c = connect();
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

    /**
     * A connection to this instance's server; to a cluster, one that names the instance's stable
     * reference (sent on every connection, so a reconnect re-attaches). A member that does not know
     * the command (not expected: every cluster member has it) is used without it.
     */
    DflockdConnection connect() {
        DflockdConnection c = DflockdConnection.open(config, server);
        if (!config.clusterMembers().isEmpty()) {
            try {
                c.stableRef(stableRef);
            } catch (ServerErrorException e) {
                Shared.LOG.log(Level.DEBUG, "{0} ''{1}'': {2} does not take a stable ref; a reconnect will queue"
                        + " anew", noun, key, Addresses.format(c.server()));
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /**
     * Records a grant whose request was sent at {@code sentAt}, watches its connection and schedules
     * its renewal and deadline. A grant that waited in the queue for over half its lease proves too
     * little (its deadline counts from the send), so it is renewed at once, before the caller sees it.
     */
    private void grantedLocked(Grant g, long sentAt) {
        term = LeaseTerm.granted(g, sentAt);
        queued = false;
        long gen = generation;
        try {
            keeper.startLocked(gen);
        } catch (RuntimeException e) { // the connection died with the grant, or the renewal failed
            dropLocked();
            throw e;
        }
    }

    /**
     * Forgets the grant and the connection without telling the server (it auto-releases on close);
     * returns the grant, whose loss future the caller settles.
     */
    LeaseTerm detachLocked() {
        generation++;
        keeper.stop();
        LeaseTerm t = term;
        term = null;
        queued = false;
        DflockdConnection c = conn;
        conn = null;
        if (c != null) {
            c.close();
        }
        return t;
    }

    /** {@link #detachLocked()} where the grant, if any, ended normally: its loss future is cancelled. */
    private void dropLocked() {
        LeaseTerm t = detachLocked();
        if (t != null) {
            t.lost().cancel(false);
        }
    }

    private void releaseLocked() {
        LeaseTerm t = term;
        DflockdConnection c = conn;
        if (t != null && c != null && c.isOpen()) {
            keeper.stop();
            try {
                if (election) {
                    c.resign(key, t.token());
                } else {
                    c.unlock(kind, key, t.token());
                }
            } catch (RuntimeException e) {
                Shared.LOG.log(Level.DEBUG, "release of {0} ''{1}'' failed (the connection is closed anyway): {2}",
                        noun, key, e.getMessage());
            }
        }
        dropLocked();
    }


}
