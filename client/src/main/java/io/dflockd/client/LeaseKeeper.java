package io.dflockd.client;

import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The renewal half of {@link LeaseCore}: keeps a granted lease alive and notices its loss. Once a
 * grant is recorded it watches the connection (a loss is reported at once), renews every
 * {@link RenewalSchedule#delayMs}, and arms a watchdog at the lease deadline (no successful renewal
 * by then: the hold can no longer be proven, so it is lost). Every loss is reported exactly once:
 * one log line, the grant's loss future, the {@link LeaseLostListener}.
 *
 * <p>It works on its core's state under the core's {@code mutex}; its timer tasks carry the
 * generation they were armed for and do nothing once the core has moved on.
 */
final class LeaseKeeper {
    private final LeaseCore core;
    private volatile ScheduledFuture<?> renewal;
    private volatile ScheduledFuture<?> deadline;
    /** The generation whose deadline passed: its failing renewal is a loss to report, whatever closed it. */
    private volatile long expiredGeneration = -1;

    LeaseKeeper(LeaseCore core) {
        this.core = core;
    }

    /**
     * Starts keeping the grant just recorded (mutex held). A grant that waited in the queue for over
     * half its lease proves too little (its deadline counts from the send), so it is renewed at once,
     * before the caller sees it.
     *
     * @throws DflockdException if the connection is gone or that renewal fails (the caller drops)
     */
    void startLocked(long gen) {
        watchLocked(gen);
        LeaseTerm t = core.term;
        if (t.leaseSeconds() > 0
                && t.remainingNanos(System.nanoTime()) < TimeUnit.SECONDS.toNanos(t.leaseSeconds()) / 2) {
            renewLocked();
        }
        scheduleLocked(gen);
    }

    /** Reports the loss of the core's connection (a thread named after the kind and key) to {@link #connectionLost}. */
    private void watchLocked(long gen) {
        core.conn.watch("dflockd-watch-" + core.noun.replace(' ', '-') + "-" + core.key, cause -> connectionLost(gen, cause));
    }

    /** Cancels the scheduled renewal and the deadline watchdog. */
    void stop() {
        cancel(renewal);
        renewal = null;
        cancel(deadline);
        deadline = null;
    }

    /** One renewal round trip asking for the configured lease; its deadline counts from the send. */
    private void renewLocked() {
        renewLocked(core.leaseS);
    }

    private void renewLocked(long leaseSeconds) {
        LeaseTerm t = core.term;
        long sentAt = System.nanoTime();
        long seconds = core.conn.renew(core.kind, core.key, t.token(), leaseSeconds);
        core.term = t.renewed(seconds, sentAt);
    }

    /**
     * An explicit renewal (mutex held) asking for {@code leaseSeconds} (0: the server default). The
     * deadline is re-armed from it; the background renewals go on as scheduled (re-scheduling them
     * here could race a renewal task already waiting for the mutex into a second chain).
     *
     * @throws DflockdException if it fails (the caller drops the grant and reports the loss)
     */
    void renewNowLocked(long gen, long leaseSeconds) {
        renewLocked(leaseSeconds);
        armDeadlineLocked(gen);
    }

    private void scheduleLocked(long gen) {
        LeaseTerm t = core.term;
        long delay = RenewalSchedule.delayMs(t.leaseSeconds(), core.config);
        renewal = Shared.scheduler().schedule(() -> Shared.workers().execute(() -> renewOnce(gen)),
                delay, TimeUnit.MILLISECONDS);
        armDeadlineLocked(gen);
    }

    private void armDeadlineLocked(long gen) {
        LeaseTerm t = core.term;
        cancel(deadline);
        deadline = Shared.scheduler().schedule(() -> Shared.workers().execute(() -> deadlinePassed(gen)),
                Math.max(0, t.remainingNanos(System.nanoTime())), TimeUnit.NANOSECONDS);
    }

    /**
     * The held lease's connection ended without the application closing it. Against one server the
     * lease is gone (the server releases on close). Against a cluster the lease lives on in the
     * cluster: it is renewed by token through another member ({@link #reattach}).
     */
    private void connectionLost(long gen, java.io.IOException cause) {
        if (!core.config.clusterMembers().isEmpty()) {
            reattach(gen, cause);
            return;
        }
        LeaseTerm lost;
        core.mutex.lock();
        try {
            if (core.closed || gen != core.generation || core.term == null) {
                return; // released, re-connected or core.closed meanwhile; a failed call reported it already
            }
            lost = core.detachLocked();
        } finally {
            core.mutex.unlock();
        }
        String why = cause instanceof java.io.EOFException ? "the server closed the connection"
                : "the connection failed: " + (cause.getMessage() == null ? cause : cause.getMessage());
        reportLost(lost, new DflockdIOException(core.server, why, cause));
    }

    /**
     * Cluster mode: reconnects to any member and renews the grant by its token there, retrying with
     * a growing pause (50 ms to 1 s). The deadline watchdog stays armed meanwhile, so the lease is
     * reported lost when its deadline passes unrenewed; a renewal the cluster refuses (the token no
     * longer holds) reports it at once. A node in redirect mode that finds no leader within the
     * connection's redirects ({@link NotLeaderException}: an election) is no refusal: retried. The new connection does not own the grant on the server (a
     * crash of this process then frees it only when its lease ends).
     */
    private void reattach(long gen, Exception cause) {
        Shared.LOG.log(Level.WARNING, "connection of {0} ''{1}'' lost ({2}); renewing it through another cluster member",
                core.noun, core.key, cause.getMessage());
        long pauseMs = 50;
        while (true) {
            LeaseTerm lost = null;
            DflockdException refused = null;
            core.mutex.lock();
            try {
                if (core.closed || gen != core.generation || core.term == null) {
                    return; // released, closed, or lost meanwhile
                }
                DflockdConnection dead = core.conn;
                if (dead != null) {
                    cancel(renewal); // the scheduled renewal would fail on the dead connection
                    renewal = null;
                    core.conn = null;
                    dead.close();
                }
                try {
                    core.conn = core.connect();
                    renewLocked();
                    watchLocked(gen);
                    scheduleLocked(gen);
                    Shared.LOG.log(Level.INFO, "{0} ''{1}'' renewed through {2}; still held", core.noun, core.key,
                            Addresses.format(core.conn.server()));
                    return;
                } catch (DflockdIOException | NotLeaderException e) {
                    if (core.conn != null) {
                        core.conn.close();
                        core.conn = null;
                    }
                } catch (DflockdException e) { // the cluster answered: the token no longer holds
                    refused = e;
                    lost = core.detachLocked();
                }
            } finally {
                core.mutex.unlock();
            }
            if (lost != null) {
                reportLost(lost, refused);
                return;
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pauseMs = Math.min(1000, pauseMs * 2);
        }
    }

    /**
     * The deadline of core.generation {@code gen} passed without a successful renewal (a renewal that
     * hangs, a host that vanished without a reset): the hold can no longer be proven, so it is lost.
     * Closing the connection first aborts a hung renewal that holds the core.mutex.
     */
    private void deadlinePassed(long gen) {
        LeaseTerm t = core.term;
        if (core.closed || gen != core.generation || t == null || t.provenAt(System.nanoTime())) {
            return; // renewed (a new deadline is scheduled), released or core.closed
        }
        expiredGeneration = gen;
        DflockdConnection c = core.conn;
        if (c != null) {
            c.close();
        }
        LeaseTerm lost;
        core.mutex.lock();
        try {
            if (gen != core.generation || core.term == null) {
                return; // the aborted renewal reported it
            }
            lost = core.detachLocked();
        } finally {
            core.mutex.unlock();
        }
        reportLost(lost, deadlineFailure());
    }

    private LeaseExpiredException deadlineFailure() {
        return new LeaseExpiredException(core.server, "no successful renewal before the lease deadline; the hold can no"
                + " longer be proven");
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private void renewOnce(long gen) {
        Throwable failure;
        LeaseTerm lost;
        boolean notify;
        NotLeaderException noLeader = null;
        core.mutex.lock();
        try {
            DflockdConnection c = core.conn;
            if (core.closed || gen != core.generation || core.term == null || c == null) {
                return; // stale: released, reconnected or core.closed meanwhile
            }
            try {
                renewLocked();
                scheduleLocked(gen);
                return;
            } catch (RuntimeException e) {
                if (e instanceof NotLeaderException n && !core.config.clusterMembers().isEmpty()) {
                    noLeader = n; // an election in a redirect-mode cluster: the lease lives on there
                    return;
                }
                boolean expired = expiredGeneration == gen;
                failure = expired ? deadlineFailure() : e;
                // core.closed by the application (cancellation or close()) is not a lost lease to report
                notify = expired || (!c.closedByClient() && !core.closed);
                lost = core.detachLocked();
            }
        } finally {
            core.mutex.unlock();
            if (noLeader != null) {
                reattach(gen, noLeader); // without the mutex, which it takes per attempt
            }
        }
        if (!notify) {
            Shared.LOG.log(Level.DEBUG, "renewal of {0} ''{1}'' stopped: connection closed by the client", core.noun, core.key);
            lost.lost().cancel(false);
            return;
        }
        reportLost(lost, failure);
    }

    /**
     * Logs one line (the stack trace only at DEBUG), completes the grant's loss future and tells the
     * core.listener; never with the core.mutex held.
     */
    void reportLost(LeaseTerm lost, Throwable failure) {
        Shared.LOG.log(Level.ERROR, "lease of {0} ''{1}'' lost: {2}", core.noun, core.key, failure.getMessage());
        Shared.LOG.log(Level.DEBUG, "lease of " + core.noun + " '" + core.key + "' lost", failure);
        lost.lost().complete(failure);
        if (core.listener != null) {
            try {
                core.listener.leaseLost(core.key, lost.token(), failure);
            } catch (RuntimeException e) {
                Shared.LOG.log(Level.WARNING, "lease-lost listener of " + core.noun + " '" + core.key + "' threw", e);
            }
        }
    }}
