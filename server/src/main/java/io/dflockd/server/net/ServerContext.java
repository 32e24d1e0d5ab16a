package io.dflockd.server.net;

import io.dflockd.protocol.Reply;
import io.dflockd.server.leader.LeaderObservers;
import io.dflockd.server.lock.LockBackend;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.signal.SignalRouter;
import io.dflockd.server.watch.Watchers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** What every connection handler shares: the lock manager, counters, auth and drain state. */
public final class ServerContext {
    /** The {@code barrier} of a standalone server: nothing to wait for (PROTOCOL.md §6.11). */
    public static final Supplier<CompletionStage<?>> NO_BARRIER = () -> CompletableFuture.completedFuture(null);
    /** A node that serves lock commands itself: standalone, or a cluster node in forward mode. */
    public static final Supplier<Reply> NEVER_REDIRECT = () -> null;

    private final LockManager locks;
    private final LockBackend backend;
    private final SignalRouter signals;
    private final byte[] authToken;
    private final long writeTimeoutNanos;
    private final Supplier<byte[]> stats;
    private final Runnable authFailed;
    private final Supplier<CompletionStage<?>> barrier;
    private final Supplier<Reply> redirect;
    private final ClusterAdmin admin;
    private final LeaderObservers leaders;
    private final Watchers watchers;
    private final Supplier<LockManager> currentLocks;
    private final AtomicLong connectionIds = new AtomicLong();
    private volatile boolean draining;

    /**
     * @param authToken         the shared secret, or {@code null} when auth is off
     * @param writeTimeoutNanos 0 = no write deadline
     * @param stats             renders the stats JSON
     */
    public ServerContext(LockManager locks, SignalRouter signals, byte[] authToken, long writeTimeoutNanos,
            Supplier<byte[]> stats) {
        this(locks, signals, authToken, writeTimeoutNanos, stats, () -> { });
    }

    /** @param authFailed called once per failed authentication (the metrics' counter) */
    public ServerContext(LockManager locks, SignalRouter signals, byte[] authToken, long writeTimeoutNanos,
            Supplier<byte[]> stats, Runnable authFailed) {
        this(LockBackend.local(locks), locks, signals, authToken, writeTimeoutNanos, stats, authFailed, NO_BARRIER,
                NEVER_REDIRECT, ClusterAdmin.NONE);
    }

    /**
     * @param backend    where connections' lock commands go (the cluster's, in cluster mode)
     * @param locks      this process's lock manager; {@code null} in cluster mode
     * @param authFailed called once per failed authentication (the metrics' counter)
     * @param barrier    starts a {@code barrier}: its stage completes when {@code ok} may be answered,
     *                   exceptionally for {@code error} ({@link #NO_BARRIER} standalone)
     * @param redirect   what to answer a lock-family command or {@code barrier} instead of serving it
     *                   (a cluster follower in redirect mode), {@code null} to serve it
     * @param admin      the membership commands' token and executor ({@link ClusterAdmin#NONE}: answered {@code error})
     */
    public ServerContext(LockBackend backend, LockManager locks, SignalRouter signals, byte[] authToken,
            long writeTimeoutNanos, Supplier<byte[]> stats, Runnable authFailed,
            Supplier<CompletionStage<?>> barrier, Supplier<Reply> redirect, ClusterAdmin admin) {
        this(backend, locks, signals, authToken, writeTimeoutNanos, stats, authFailed, barrier, redirect, admin,
                new LeaderObservers(0), new Watchers(0), () -> locks);
    }

    /**
     * @param leaders      the leader observers (PROTOCOL.md §6.15); they hear of leadership changes only
     *                     from lock managers built with {@link LeaderObservers#watching}
     * @param watchers     the key watchers (PROTOCOL.md §6.19); they hear of changes only from lock
     *                     managers built with {@link Watchers#watching}
     * @param currentLocks this node's lock state, where {@code observe} looks for a current leader (a
     *                     cluster node's replica; it changes identity when a snapshot is installed)
     */
    public ServerContext(LockBackend backend, LockManager locks, SignalRouter signals, byte[] authToken,
            long writeTimeoutNanos, Supplier<byte[]> stats, Runnable authFailed,
            Supplier<CompletionStage<?>> barrier, Supplier<Reply> redirect, ClusterAdmin admin,
            LeaderObservers leaders, Watchers watchers, Supplier<LockManager> currentLocks) {
        this.leaders = leaders;
        this.watchers = watchers;
        this.currentLocks = currentLocks;
        this.backend = backend;
        this.redirect = redirect;
        this.admin = admin;
        this.barrier = barrier;
        this.authFailed = authFailed;
        this.locks = locks;
        this.signals = signals;
        this.authToken = authToken;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.stats = stats;
    }

    /** This process's lock manager; {@code null} in cluster mode, where {@link #lockBackend()} is the cluster. */
    public LockManager locks() {
        return locks;
    }

    public LockBackend lockBackend() {
        return backend;
    }

    public SignalRouter signals() {
        return signals;
    }

    /** Who observes which keys' leadership (PROTOCOL.md §6.15). */
    public LeaderObservers leaders() {
        return leaders;
    }

    /** Who watches which key patterns (PROTOCOL.md §6.19). */
    public Watchers watchers() {
        return watchers;
    }

    /** This node's lock state now (in cluster mode, the replica; never {@code null}). */
    LockManager currentLocks() {
        return currentLocks.get();
    }

    byte[] authToken() {
        return authToken;
    }

    public long writeTimeoutNanos() {
        return writeTimeoutNanos;
    }

    byte[] statsJson() {
        return stats.get();
    }

    CompletionStage<?> barrier() {
        return barrier.get();
    }

    /** The reply that turns a lock command or barrier away from this node, or {@code null} to serve it. */
    Reply redirect() {
        return redirect.get();
    }

    ClusterAdmin clusterAdmin() {
        return admin;
    }

    void authFailed() {
        authFailed.run();
    }

    /** The next connection id; HTTP sessions draw theirs from the same sequence. */
    public long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
