package io.dflockd.server.http;

import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.time.Scheduler;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One HTTP session: the {@link LockOwner} that the lock manager sees, as a TCP connection is one.
 * Its requests may come in over any number of HTTP connections at once, so what the lock manager
 * expects of a connection's thread is obtained with this object's monitor: every lock-manager call
 * on the session's behalf holds it. Blocking calls (acquire with a timeout, wait) run one at a time,
 * as a TCP connection's do; a second one is parked until the first ends. Requests in flight keep
 * the session from expiring.
 */
public final class HttpSession {
    final String id;
    final InetAddress ip;
    final LockOwner owner;
    private long lastSeen;
    private int inFlight;
    private boolean closed;
    Scheduler.Cancellable expiry = Scheduler.Cancellable.NONE;
    private LongPoll running;
    private final ArrayDeque<LongPoll> parked = new ArrayDeque<>();

    HttpSession(String id, InetAddress ip, LockOwner owner, long now) {
        this.id = id;
        this.ip = ip;
        this.owner = owner;
        this.lastSeen = now;
    }

    /** The session id, 32 lowercase hex digits. */
    public String id() {
        return id;
    }

    /** A request starts using the session; false when it has been closed. */
    synchronized boolean enter(long now) {
        if (closed) {
            return false;
        }
        inFlight++;
        lastSeen = now;
        return true;
    }

    /** A request using the session was answered. */
    synchronized void leave(long now) {
        inFlight--;
        lastSeen = now;
    }

    /** Refreshes the idle timer (ping). */
    synchronized void touch(long now) {
        lastSeen = now;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Runs a lock-manager call on the session's behalf; {@code null} (not run) once it is closed. */
    synchronized Outcome call(Supplier<Outcome> op) {
        return closed ? null : op.get();
    }

    /**
     * Nanoseconds until the session may expire, measured from {@code now}: 0 or less means it is
     * idle past {@code graceNanos} with nothing in flight.
     */
    synchronized long expiresIn(long now, long graceNanos) {
        return inFlight > 0 ? graceNanos : lastSeen + graceNanos - now;
    }

    /** Marks the session closed; returns the blocking calls in progress or parked, to be told. */
    synchronized List<LongPoll> close() {
        closed = true;
        expiry.cancel();
        List<LongPoll> calls = new ArrayList<>(parked.size() + 1);
        if (running != null) {
            calls.add(running);
        }
        calls.addAll(parked);
        parked.clear();
        return calls;
    }

    /** The blocking call in progress, if any (draining cancels it). */
    synchronized LongPoll running() {
        return running;
    }

    /** Starts {@code call} now when no other blocking call runs, else once those before it end. */
    void runBlocking(LongPoll call) {
        synchronized (this) {
            if (running != null) {
                parked.add(call);
                return;
            }
            running = call;
        }
        call.start();
    }

    /** The running blocking call ended: the next parked one starts. */
    void blockingDone(LongPoll call) {
        LongPoll next;
        synchronized (this) {
            if (running != call) {
                return;
            }
            next = parked.poll();
            running = next;
        }
        if (next != null) {
            next.start();
        }
    }
}
