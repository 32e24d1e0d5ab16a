package io.dflockd.soak;

import io.dflockd.client.AcquireTimeoutException;
import io.dflockd.client.DflockdConnection;
import io.dflockd.client.DflockdException;
import io.dflockd.client.DflockdIOException;
import io.dflockd.client.DrainingException;
import io.dflockd.client.EnqueueResponse;
import io.dflockd.client.Grant;
import io.dflockd.client.LeaseExpiredException;
import io.dflockd.client.NotEnqueuedException;
import io.dflockd.client.ServerErrorException;
import io.dflockd.protocol.Command;
import io.dflockd.protocol.LockKind;
import java.time.Duration;
import java.util.Random;

/**
 * One chaotic client: in a loop it picks a key and a way to take it (single-phase or two-phase,
 * lock or semaphore), holds it for a while writing to the guarded resource and renewing, and then
 * gives it up in a random way — release, abrupt disconnect, handing it over to time ({@code k}), or by going silent until the lease
 * expires (a "zombie" that later tries a stale write). Every grant feeds the invariant checkers.
 *
 * <p>In cluster mode each new connection goes to a random node. A connection lost because its node
 * was killed is legal, and a hold granted through it is simply abandoned: the cluster keeps it until
 * its lease ends (or the node's next run ends the old sessions, see {@link ClusterNodes}), so the
 * ledger keeps it live until then. A request answered {@code error} is legal only when its node
 * caught up from the leader's snapshot meanwhile (the node then answers every pending request so).
 */
final class LockWorker implements Runnable {
    private enum Ending { RELEASE, DISCONNECT, KEEP, ZOMBIE }

    private static final long NANOS = 1_000_000_000L;

    private final SoakContext ctx;
    private final String name;
    private final Random rnd;
    private DflockdConnection conn;
    private int connServer = -1;
    private int connEndpoint = -1;
    private int connIncarnation;
    /** The connection's node's snapshot catch-ups when the last request was sent (cluster mode). */
    private long catchUpsAtSend;
    /** The connection's node's {@link Incarnations#restartStamp(int)} when the last request was sent. */
    private long faultsAtSend;
    /** {@link Incarnations#restartStamp()} (every node's faults) when the last request was sent. */
    private long anyFaultsAtSend;

    LockWorker(SoakContext ctx, String name, long seed) {
        this.ctx = ctx;
        this.name = name;
        this.rnd = new Random(seed);
    }

    @Override
    public void run() {
        try {
            while (!ctx.verdict.stopping()) {
                episode();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            ctx.verdict.violation("client crashed", name + ": " + e);
        } finally {
            closeConnection();
        }
    }

    private void episode() throws InterruptedException {
        LockKind kind = pickKind();
        String key = switch (kind) {
            case SEMAPHORE -> ctx.semKey(rnd.nextInt(ctx.options.semKeys()));
            case READ, WRITE -> ctx.rwKey(rnd.nextInt(ctx.options.rwKeys()));
            case LOCK -> ctx.lockKey(rnd.nextInt(ctx.options.lockKeys()));
        };
        int limit = kind == LockKind.SEMAPHORE ? ctx.options.semLimit() : 1;
        if (!connectTo(ctx.serverOf(key))) {
            return;
        }
        try {
            Hold h = rnd.nextInt(100) < 40 ? twoPhase(key, kind, limit) : singlePhase(key, kind, limit);
            if (h != null) {
                hold(h);
            }
        } catch (AcquireTimeoutException e) {
            ctx.metrics.inc("outcome.timeout");
        } catch (LeaseExpiredException e) {
            ctx.metrics.inc("outcome.lease_expired_before_wait");
        } catch (NotEnqueuedException e) {
            ctx.metrics.inc("outcome.not_enqueued");
        } catch (DflockdIOException | DrainingException e) {
            connectionLost(e);
        } catch (DflockdException e) {
            if (errorExcused()) {
                closeConnection(); // whatever the lost request did ends with the session
            } else {
                ctx.verdict.violation("unexpected reply", name + " on " + key + ": " + e.getMessage());
            }
        }
        if (rnd.nextInt(100) < 5) {
            ctx.metrics.inc("op.reconnect");
            closeConnection();
        }
    }

    /** A semaphore slot 35 % of the time, a side of a read-write lock 25 % (reading twice as often), else a lock. */
    private LockKind pickKind() {
        int roll = rnd.nextInt(100);
        if (roll < 35 && ctx.options.semKeys() > 0) {
            return LockKind.SEMAPHORE;
        }
        if (roll >= 35 && roll < 60 && ctx.options.rwKeys() > 0) {
            return rnd.nextInt(3) < 2 ? LockKind.READ : LockKind.WRITE;
        }
        return LockKind.LOCK;
    }

    private Hold singlePhase(String key, LockKind kind, int limit) {
        long timeout = rnd.nextInt(3);
        long lease = 1 + rnd.nextInt(ctx.options.maxLeaseSeconds());
        long floor = ctx.fences.floor(connServer);
        long sent = System.nanoTime();
        long ticket = ctx.watchdog.blocking(name + " " + kind.acquire().wire() + " " + key, timeout, connEndpoint,
                connIncarnation);
        sending();
        // A third of the single-phase lock acquires run for leader instead: an election is a lock of
        // limit 1 on its key, so one leader per term and increasing term fences are the lock checks.
        boolean election = kind == LockKind.LOCK && rnd.nextInt(3) == 0;
        Grant g;
        try {
            ctx.metrics.inc(HoldCalls.op(election ? Command.ELECT : kind.acquire()));
            g = election ? conn.elect(key, Duration.ofSeconds(timeout), Duration.ofSeconds(lease))
                    : HoldCalls.acquire(conn, kind, key, Duration.ofSeconds(timeout), limit, Duration.ofSeconds(lease));
        } finally {
            ctx.watchdog.answered(ticket);
        }
        return granted(key, kind, limit, g, floor, sent, sent, election ? "elect" : "l/sl");
    }

    private Hold twoPhase(String key, LockKind kind, int limit) throws InterruptedException {
        long lease = 1 + rnd.nextInt(ctx.options.maxLeaseSeconds());
        long floor = ctx.fences.floor(connServer);
        long faults = ctx.incarnations.faultStamp();
        long enqueueSent = System.nanoTime();
        ctx.metrics.inc(HoldCalls.op(kind.enqueue()));
        sending();
        EnqueueResponse r = HoldCalls.enqueue(conn, kind, key, limit, Duration.ofSeconds(lease));
        if (r.acquired()) {
            Hold h = granted(key, kind, limit, r.grant(), floor, enqueueSent, enqueueSent, "e/se acquired");
            if (h != null && rnd.nextBoolean()) {
                // w after a fast-path grant resets the lease and must return the same token.
                long waitSent = System.nanoTime();
                Grant again = awaitGrant(key, kind, 0);
                if (!again.token().equals(h.token)) {
                    ctx.verdict.violation("two-phase token", name + " on " + key + ": w after acquired returned "
                            + again.token() + " instead of " + h.token);
                }
                ctx.ledger.extend(h, waitSent + again.leaseSeconds() * NANOS - ctx.marginNanos);
            }
            return h;
        }
        long queuedAt = System.nanoTime();
        ctx.metrics.inc("outcome.queued");
        if (rnd.nextInt(100) < 10) {
            // Leave the queue by vanishing: the server must drop the waiter.
            ctx.metrics.inc("op.abandon_queued");
            closeConnection();
            return null;
        }
        Thread.sleep(rnd.nextInt(150));
        long waitSent = System.nanoTime();
        Grant g = awaitGrant(key, kind, rnd.nextInt(3));
        // The grant may have happened while queued, before w was sent: for its order, e is the invocation.
        Hold h = granted(key, kind, limit, g, floor, enqueueSent, waitSent, "w/sw");
        if (h != null) {
            if (!ctx.cluster) {
                ctx.fifo.granted(new FifoLedger.Entry(key, connEndpoint, connIncarnation, 0, enqueueSent, queuedAt,
                        h.fence, name));
            } else if (ctx.incarnations.faultStamp() == faults) {
                ctx.fifo.granted(new FifoLedger.Entry(key, connEndpoint, connIncarnation, faults, enqueueSent,
                        queuedAt, h.fence, name));
            } else {
                ctx.metrics.inc("fifo.skipped_fault");
            }
        }
        return h;
    }

    private Grant awaitGrant(String key, LockKind kind, long timeout) {
        long ticket = ctx.watchdog.blocking(name + " " + kind.await().wire() + " " + key, timeout, connEndpoint,
                connIncarnation);
        sending();
        try {
            ctx.metrics.inc(HoldCalls.op(kind.await()));
            return HoldCalls.await(conn, kind, key, Duration.ofSeconds(timeout));
        } finally {
            ctx.watchdog.answered(ticket);
        }
    }

    /**
     * Checks the fence and registers the known-live interval of a grant whose lease was requested at
     * {@code sent}, by an operation invoked at {@code invoked} (a two-phase grant's {@code e}).
     */
    private Hold granted(String key, LockKind kind, int limit, Grant g, long floor, long invoked, long sent,
            String how) {
        long readAt = System.nanoTime();
        ctx.metrics.inc("outcome.granted");
        if (g.fence().isEmpty()) {
            ctx.verdict.violation("token format", name + " on " + key + " got token " + g.token());
            return null;
        }
        long fence = g.fence().getAsLong();
        ctx.fences.granted(connServer, fence, floor, name + " " + how + " " + key);
        // Only a w/sw may be answered with a grant committed before its request arrived.
        ctx.partitions.granted(connEndpoint, invoked, !how.equals("w/sw"), name + " " + how + " " + key);
        Hold h = new Hold(key, kind, limit, connServer, connEndpoint, connIncarnation, g.token(), fence, name, readAt,
                sent + g.leaseSeconds() * NANOS - ctx.marginNanos, how.equals("elect"));
        ctx.ledger.register(h);
        ctx.history.granted(h, invoked);
        return h;
    }

    private void hold(Hold h) throws InterruptedException {
        int roll = rnd.nextInt(100);
        Ending ending = roll < 55 ? Ending.RELEASE : roll < 75 ? Ending.DISCONNECT
                : roll < 85 ? (HoldCalls.keepable(h) ? Ending.KEEP : Ending.RELEASE) : Ending.ZOMBIE;
        int steps = 1 + rnd.nextInt(6);
        for (int i = 0; i < steps && !ctx.verdict.stopping(); i++) {
            write(h);
            Thread.sleep(20 + rnd.nextInt(200));
            long left = ctx.ledger.liveUntil(h) - System.nanoTime();
            if (left < 700_000_000L && ending != Ending.ZOMBIE && !renew(h)) {
                return;
            }
        }
        switch (ending) {
            case RELEASE:
                release(h);
                return;
            case DISCONNECT:
                ctx.ledger.truncate(h, System.nanoTime());
                ctx.metrics.inc("op.abrupt_disconnect");
                closeConnection();
                return;
            case KEEP:
                keepAndLeave(h);
                return;
            default:
                zombie(h);
        }
    }

    /** Writes to the guarded resource; a rejection while the lease is known live is a double grant. */
    private void write(Hold h) {
        if (h.kind != LockKind.LOCK && h.kind != LockKind.WRITE) {
            return; // semaphore holders and readers share the resource by design; the overlap check covers them
        }
        boolean accepted = ctx.resource(h.key).write(h.fence);
        long after = System.nanoTime();
        if (accepted) {
            ctx.metrics.inc("writes.accepted");
        } else if (after - ctx.ledger.liveUntil(h) < 0) {
            ctx.verdict.violation("fenced write rejected while live", h + " on " + h.key
                    + ": a later grant wrote while this lease was known to be live");
        } else {
            ctx.metrics.inc("writes.stale_rejected");
        }
    }

    private boolean renew(Hold h) {
        long sent = System.nanoTime();
        ctx.metrics.inc(HoldCalls.op(h.kind.renew()));
        Duration lease = Duration.ofSeconds(1 + rnd.nextInt(ctx.options.maxLeaseSeconds()));
        sending();
        try {
            long granted = HoldCalls.renew(conn, h, lease);
            ctx.ledger.extend(h, sent + granted * NANOS - ctx.marginNanos);
            return true;
        } catch (DflockdIOException | DrainingException e) {
            // The renewal may have been applied without its reply reaching us, and it may have
            // shortened the lease: it ends no earlier than sent + the requested lease.
            ctx.ledger.truncate(h, sent + lease.toNanos() - ctx.marginNanos);
            throw e;
        } catch (ServerErrorException e) {
            if (errorExcused()) {
                ctx.ledger.truncate(h, sent + lease.toNanos() - ctx.marginNanos);
                giveUp(h);
            } else {
                refusedWhileLive(h, "renew", ctx.ledger.liveUntil(h));
            }
            return false;
        }
    }

    /** Drops a hold whose state is unknown: closing the connection frees whatever it still holds. */
    private void giveUp(Hold h) {
        ctx.ledger.truncate(h, System.nanoTime());
        closeConnection();
    }

    private void release(Hold h) {
        // The slot stops counting as ours before the request leaves; the refusal check needs the
        // end the lease was known live until, not the truncated one.
        long liveUntil = ctx.ledger.liveUntil(h);
        ctx.ledger.truncate(h, System.nanoTime());
        ctx.metrics.inc(HoldCalls.op(HoldCalls.releaseCommand(h)));
        sending();
        try {
            HoldCalls.release(conn, h);
        } catch (ServerErrorException e) {
            if (errorExcused()) {
                closeConnection();
            } else {
                refusedWhileLive(h, "release", liveUntil);
            }
        }
    }

    /** The server refused a renew or release; that is only legal once the lease may have run out. */
    private void refusedWhileLive(Hold h, String what, long liveUntil) {
        if (System.nanoTime() - liveUntil < 0) {
            ctx.verdict.violation("live lease refused", what + " of " + h + " on " + h.key
                    + " was refused while the lease was known to be live");
        } else {
            ctx.metrics.inc("outcome.refused_after_expiry");
        }
    }

    /**
     * Hands the slot over to time ({@code k}/{@code sk}) and drops the connection: the slot must stay
     * taken until the kept lease ends, so the ledger keeps it live until then and any earlier grant
     * of it is an overlap.
     */
    private void keepAndLeave(Hold h) {
        long sent = System.nanoTime();
        ctx.metrics.inc(HoldCalls.op(HoldCalls.keepCommand(h)));
        Duration hold = Duration.ofSeconds(1 + rnd.nextInt(ctx.options.maxLeaseSeconds()));
        sending();
        try {
            long kept = HoldCalls.keep(conn, h, hold);
            ctx.ledger.extend(h, sent + kept * NANOS - ctx.marginNanos);
        } catch (DflockdIOException | DrainingException e) {
            ctx.ledger.truncate(h, sent + hold.toNanos() - ctx.marginNanos); // as for a lost renewal
            throw e;
        } catch (ServerErrorException e) {
            if (errorExcused()) {
                giveUp(h); // the keep may not have happened: closing may free the slot now
                return;
            }
            refusedWhileLive(h, "keep", ctx.ledger.liveUntil(h));
        }
        closeConnection();
    }

    /** Stops renewing, waits past the lease, then acts as if it still held the lock. */
    private void zombie(Hold h) throws InterruptedException {
        ctx.metrics.inc("forced_expiries");
        long sleepNanos = ctx.ledger.liveUntil(h) - System.nanoTime() + ctx.marginNanos + 200_000_000L
                + rnd.nextInt(800) * 1_000_000L;
        if (sleepNanos > 0) {
            Thread.sleep(sleepNanos / 1_000_000L);
        }
        write(h);
        ctx.metrics.inc(HoldCalls.op(HoldCalls.releaseCommand(h)));
        sending();
        try {
            HoldCalls.release(conn, h);
            ctx.metrics.inc("outcome.zombie_release_ok");
        } catch (ServerErrorException expected) {
            ctx.metrics.inc("outcome.zombie_release_refused");
            if (ctx.cluster) {
                // A node also answers error, and then closes the connection, when it cannot commit a
                // request in time (a fault elsewhere in the cluster). The refusal may be that, so the
                // next episode starts on a new connection instead of finding this one closed.
                closeConnection();
            }
        }
    }

    private boolean connectTo(int server) throws InterruptedException {
        if (conn != null && conn.isOpen() && connServer == server) {
            return true;
        }
        closeConnection();
        int endpoint = ctx.endpointFor(server, rnd);
        long stamp = ctx.incarnations.restartStamp(endpoint);
        int incarnation = ctx.incarnations.current(endpoint);
        try {
            conn = DflockdConnection.open(ctx.client, ctx.servers.get(endpoint));
            connServer = server;
            connEndpoint = endpoint;
            connIncarnation = incarnation;
            ctx.metrics.inc("connections.opened");
            return true;
        } catch (DflockdIOException e) {
            if (!ctx.incarnations.restartOverlapped(endpoint, stamp)) {
                ctx.verdict.violation("connect failed", name + " cannot reach " + (ctx.cluster ? "node#" : "server#")
                        + endpoint + ": " + e.getMessage());
            }
            Thread.sleep(100 + rnd.nextInt(200));
            return false;
        }
    }

    /**
     * An I/O failure: only legal when the server incarnation this connection reached has gone, or (in a
     * cluster) when its node was paused or cut off since the request was sent.
     */
    private void connectionLost(DflockdException e) {
        boolean expected = ctx.incarnations.restarting(connEndpoint)
                || ctx.incarnations.current(connEndpoint) != connIncarnation
                || ctx.incarnations.restartOverlapped(connEndpoint, faultsAtSend);
        if (expected) {
            ctx.metrics.inc("connections.lost_to_restart");
        } else if (!ctx.verdict.stopping()) {
            ctx.verdict.violation("connection lost", name + " lost its connection to a running server: "
                    + e.getMessage());
        }
        closeConnection();
    }

    /** Notes the connection's node's faults and snapshot catch-ups before a request goes out. */
    private void sending() {
        faultsAtSend = ctx.incarnations.restartStamp(connEndpoint);
        anyFaultsAtSend = ctx.incarnations.restartStamp();
        if (ctx.cluster) {
            catchUpsAtSend = ctx.incarnations.catchUps(connEndpoint);
        }
    }

    /**
     * Whether a bare {@code error} reply is legal: in cluster mode, when a fault of any node overlapped
     * the request (the node could not have it committed within the cluster's request timeout: its own
     * pause or partition, or an election that a loaded machine drew out), or when the connection's node
     * caught up from the leader's snapshot meanwhile. The node logs the latter before answering, but the
     * soak reads its output on another thread, so it waits up to 2 s for the line.
     */
    private boolean errorExcused() {
        if (!ctx.cluster) {
            return false;
        }
        if (ctx.incarnations.restartOverlapped(anyFaultsAtSend)) {
            ctx.metrics.inc("outcome.error_after_fault");
            return true;
        }
        try {
            if (!ctx.incarnations.caughtUpSince(connEndpoint, catchUpsAtSend)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        ctx.metrics.inc("outcome.error_after_catch_up");
        return true;
    }

    private void closeConnection() {
        if (conn != null) {
            conn.close();
            conn = null;
        }
    }
}
