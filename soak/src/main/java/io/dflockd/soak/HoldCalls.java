package io.dflockd.soak;

import io.dflockd.client.DflockdConnection;
import io.dflockd.client.EnqueueResponse;
import io.dflockd.client.Grant;
import io.dflockd.protocol.Command;
import io.dflockd.protocol.LockKind;
import java.time.Duration;

/**
 * The client call of each step of a hold, per kind (lock, semaphore slot, read or write side of a
 * read-write lock), so that {@link LockWorker} is written once for all of them. Metric names are
 * {@code op.} plus the wire command ({@code op.l}, {@code op.sl}, {@code op.rl}, {@code op.wl}…).
 */
final class HoldCalls {
    private HoldCalls() {
    }

    static String op(Command c) {
        return "op." + c.wire();
    }

    static Grant acquire(DflockdConnection c, LockKind kind, String key, Duration timeout, int limit, Duration lease) {
        return switch (kind) {
            case LOCK -> c.acquire(key, timeout, lease);
            case SEMAPHORE -> c.semAcquire(key, timeout, limit, lease);
            case READ -> c.readAcquire(key, timeout, lease);
            case WRITE -> c.writeAcquire(key, timeout, lease);
        };
    }

    static EnqueueResponse enqueue(DflockdConnection c, LockKind kind, String key, int limit, Duration lease) {
        return switch (kind) {
            case LOCK -> c.enqueue(key, lease);
            case SEMAPHORE -> c.semEnqueue(key, limit, lease);
            case READ -> c.readEnqueue(key, lease);
            case WRITE -> c.writeEnqueue(key, lease);
        };
    }

    static Grant await(DflockdConnection c, LockKind kind, String key, Duration timeout) {
        return switch (kind) {
            case LOCK -> c.waitFor(key, timeout);
            case SEMAPHORE -> c.semWaitFor(key, timeout);
            case READ -> c.readWaitFor(key, timeout);
            case WRITE -> c.writeWaitFor(key, timeout);
        };
    }

    /** @return the lease granted, in seconds */
    static long renew(DflockdConnection c, Hold h, Duration lease) {
        return switch (h.kind) {
            case LOCK -> c.renew(h.key, h.token, lease);
            case SEMAPHORE -> c.semRenew(h.key, h.token, lease);
            case READ -> c.readRenew(h.key, h.token, lease);
            case WRITE -> c.writeRenew(h.key, h.token, lease);
        };
    }

    /** The command that gives the hold up: {@code resign} for an election, else the kind's release. */
    static Command releaseCommand(Hold h) {
        return h.election ? Command.RESIGN : h.kind.release();
    }

    static void release(DflockdConnection c, Hold h) {
        if (h.election) {
            c.resign(h.key, h.token);
            return;
        }
        switch (h.kind) {
            case LOCK -> c.release(h.key, h.token);
            case SEMAPHORE -> c.semRelease(h.key, h.token);
            case READ -> c.readRelease(h.key, h.token);
            case WRITE -> c.writeRelease(h.key, h.token);
        }
    }

    /** Whether {@link #keep} exists for the hold's kind ({@code k}/{@code sk}; read-write locks have none). */
    static boolean keepable(Hold h) {
        return !h.kind.readWrite();
    }

    static Command keepCommand(Hold h) {
        return h.kind == LockKind.SEMAPHORE ? Command.SEM_KEEP : Command.KEEP;
    }

    /** @return the kept lease, in seconds */
    static long keep(DflockdConnection c, Hold h, Duration hold) {
        return h.kind == LockKind.SEMAPHORE ? c.semKeep(h.key, h.token, hold) : c.keep(h.key, h.token, hold);
    }
}
