package io.dflockd.client;

import java.lang.ref.Cleaner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A candidate in the leader election of one name (PROTOCOL.md §6.15, §7.12). An election is a lock
 * of limit 1 on the name: {@link #campaign()} sends {@code elect} and waits in the name's FIFO queue
 * of candidates until this instance leads; while it leads, its lease is renewed in the background
 * and its connection is watched, exactly as a {@link DistributedLock}'s; {@link #resign()} sends
 * {@code resign} and lets the next candidate lead.
 *
 * <pre>{@code
 * try (LeaderElection election = LeaderElection.builder("scheduler")
 *         .onLeadershipLost((name, token, cause) -> stopWork()).build()) {
 *     election.campaign();                       // blocks until this instance leads
 *     long term = election.fence().getAsLong();  // larger than every earlier term's
 *     doLeaderWork(term);
 *     election.resign();
 * }
 * }</pre>
 *
 * <p><b>Terms and fences.</b> Each grant is a term with its own {@link #token()}; its
 * {@link #fence()} is strictly larger than every earlier term's of the name, so a deposed leader's
 * late writes can be refused by whatever stores them.
 *
 * <p><b>Losing the leadership.</b> A renewal refused, the connection lost or the lease deadline
 * passed: the instance stops leading at once, logs one line, completes {@link #leadershipLost()} and
 * calls the {@link Builder#onLeadershipLost listener}. Nothing campaigns again by itself: call
 * {@link #campaign()} again to stand for the next term.
 *
 * <p><b>Observing.</b> {@link #observe()} gives the name's {@link LeaderEvent}s (elected, resigned,
 * failover, lost) through a dedicated signal connection; the connection that leads is told nothing
 * by the server (§7.12).
 *
 * <p>Thread-safe; operations are serialised. After {@link #close()} (which resigns if leading) the
 * instance cannot be reused. An instance that is garbage-collected while connected closes its
 * connection and logs a warning.
 */
public final class LeaderElection implements AutoCloseable {
    final LeaseCore core;
    private final Cleaner.Cleanable cleanable;
    private final SignalConn.Builder observerBuilder;
    private SignalConn observer;
    private boolean observing;

    private LeaderElection(Builder b) {
        this.core = LeaseCore.election(b.name, b.config, b.leaseTtl, b.listener);
        this.cleanable = Shared.CLEANER.register(this, core::reclaim);
        this.observerBuilder = SignalConn.builder().config(b.config).server(core.server);
    }

    /**
     * A builder for a candidate in the election of {@code name} (a key: non-empty, at most 256 UTF-8
     * bytes, no space, TAB, CR, LF or NUL).
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The election's name (its key). */
    public String name() {
        return core.key;
    }

    /** The server that owns the name (chosen by the sharding strategy). */
    public InetSocketAddress server() {
        return core.server;
    }

    /**
     * Stands for leader and blocks until this instance leads, however long that takes (the request
     * keeps its FIFO place). Renewal starts before it returns.
     *
     * @throws IllegalStateException if this instance already leads or is closed
     * @throws DflockdException on any failure (nothing is held)
     */
    public void campaign() {
        campaignUntilElected(null);
    }

    private LeaderElection campaignUntilElected(Op op) {
        while (!core.acquire(Durations.UNTIL_GRANTED, op)) {
            // a century went by: stand again
        }
        return this;
    }

    /**
     * Stands for leader, waiting up to {@code timeout} (whole seconds on the wire, rounded up; zero =
     * lead only if nobody leads or queues).
     *
     * @return true when this instance leads; false if the timeout elapsed (it is no longer a candidate)
     */
    public boolean campaign(Duration timeout) {
        return core.acquire(timeout, null);
    }

    /**
     * {@link #campaign()} on a worker thread; completes with this instance once it leads. Cancelling
     * the future withdraws the candidacy (the connection is closed); a grant that arrives after the
     * cancellation is resigned.
     */
    public CompletableFuture<LeaderElection> campaignAsync() {
        return Op.submit(this::campaignUntilElected, e -> core.release());
    }

    /** Whether this instance leads: elected, and the term not lost. */
    public boolean isLeader() {
        return core.isHeld();
    }

    /** The token of the current term, or {@code null} when not leading. */
    public String token() {
        return core.token();
    }

    /**
     * The fencing token of the current term (unsigned: compare with {@link Long#compareUnsigned});
     * empty when not leading.
     */
    public OptionalLong fence() {
        return core.fence();
    }

    /** The lease last reported by the server, {@link Duration#ZERO} when not leading. */
    public Duration lease() {
        return core.lease();
    }

    /** Until when the leadership is proven (as {@link DistributedPrimitive#leaseValidUntil()}); empty when not leading. */
    public Optional<Instant> leaseValidUntil() {
        return core.leaseValidUntil();
    }

    /**
     * Completes with the cause when the current term is lost (renewal refused or failed, connection
     * lost, deadline passed), together with the listener; cancelled when the term ends by
     * {@link #resign()} or {@link #close()}. Not leading: a cancelled future. Each term has its own.
     */
    public CompletableFuture<Throwable> leadershipLost() {
        return core.leaseLost();
    }

    /**
     * Resigns ({@code resign} with the term's token, best effort) and closes the connection; the next
     * queued candidate, if any, leads. Does nothing when not leading; withdraws a candidacy in progress.
     */
    public void resign() {
        core.release();
    }

    /**
     * The name's leader events, from a dedicated signal connection that observes the name, opened by
     * the first {@code subscribe} (which receives every event from the first: an {@code ELECTED} if
     * somebody leads at that moment, then each change); later subscribers get the events from their
     * subscription on. The connection closes with this instance; subscribers then complete.
     *
     * @throws DflockdException from {@code subscribe} if the observing connection cannot be opened
     */
    public Flow.Publisher<LeaderEvent> observe() {
        return this::subscribeObserver;
    }

    private synchronized void subscribeObserver(Flow.Subscriber<? super LeaderEvent> subscriber) {
        if (core.isClosed()) {
            throw new IllegalStateException("election '" + core.key + "' is closed");
        }
        if (observer == null) {
            observer = observerBuilder.build();
        }
        observer.leaderEvents().subscribe(subscriber);
        if (!observing) {
            try {
                observer.connect();
                observer.observe(core.key);
            } catch (RuntimeException e) {
                observer.close();
                observer = null;
                throw e;
            }
            observing = true;
        }
    }

    /** Resigns if leading, closes the observing connection, and refuses further use; idempotent. */
    @Override
    public void close() {
        core.close();
        cleanable.clean();
        SignalConn o;
        synchronized (this) {
            o = observer;
        }
        if (o != null) {
            o.close();
        }
    }

    @Override
    public String toString() {
        return "LeaderElection[" + core.key + " @ " + Addresses.format(core.server) + (core.isHeld() ? ", leader" : "")
                + (core.isClosed() ? ", closed" : "") + "]";
    }

    /** Builder of {@link LeaderElection}; validates eagerly. */
    public static final class Builder {
        final String name;
        ClientConfig config = ClientConfig.defaults();
        Duration leaseTtl;
        LeaseLostListener listener;
        /** Told of every election built (a {@link DflockdClient} keeps them, to close them with itself). */
        Consumer<AutoCloseable> onBuild = built -> { };

        private Builder(String name) {
            this.name = Validate.key(name);
        }

        /** Servers, sharding, TLS, auth, renew ratio and connect timeout (default {@link ClientConfig#defaults()}). */
        public Builder config(ClientConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Lease of a term, rounded up to whole seconds (default {@code null}: the server's default,
         * 33 s). A leader that stops renewing (a frozen process) is replaced once it runs out.
         */
        public Builder leaseTtl(Duration leaseTtl) {
            Durations.leaseSeconds(leaseTtl);
            this.leaseTtl = leaseTtl;
            return this;
        }

        /**
         * Called when leadership is lost: renewal refused, connection lost or deadline passed (not on
         * {@link LeaderElection#resign()} or close). Called with the name, the lost term's token and
         * the cause, on a library worker thread. Default none.
         */
        public Builder onLeadershipLost(LeaseLostListener listener) {
            this.listener = listener;
            return this;
        }

        /** Builds a candidate; no connection is opened yet. */
        public LeaderElection build() {
            LeaderElection e = new LeaderElection(this);
            onBuild.accept(e);
            return e;
        }
    }
}
