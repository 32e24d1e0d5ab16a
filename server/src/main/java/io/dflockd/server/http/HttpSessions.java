package io.dflockd.server.http;

import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The open HTTP sessions: creation under the caps, look-up by id, and the three ways a session ends
 * (upstream's): {@code DELETE}, idle expiry, server stop. Each end is the lock manager's disconnect
 * cleanup of the session's owner, as a TCP connection's close is. A session expires once unused for
 * twice the advertised idle timeout with no request in flight; each session has its own timer on the
 * injected {@link Scheduler}, so expiry is exact and testable with a manual clock.
 */
public final class HttpSessions {
    static final String HEADER = "X-Dflockd-Session";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LockManager locks;
    private final Clock clock;
    private final Scheduler scheduler;
    private final LongSupplier ownerIds;
    private final HttpApiSettings settings;
    private final long graceNanos;
    private final Map<String, HttpSession> sessions = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perIp = new HashMap<>();
    private volatile boolean draining;

    /** A session that could not be created: the error code and detail of the 503. */
    record Refusal(String code, String detail) {
    }

    /** @param ownerIds the connection-id sequence the TCP connections draw from (ids show in stats) */
    public HttpSessions(LockManager locks, Clock clock, Scheduler scheduler, LongSupplier ownerIds,
            HttpApiSettings settings) {
        this.locks = locks;
        this.clock = clock;
        this.scheduler = scheduler;
        this.ownerIds = ownerIds;
        this.settings = settings;
        long idle = settings.sessionIdleTimeoutSeconds();
        this.graceNanos = idle > Long.MAX_VALUE / 2_000_000_000L ? Long.MAX_VALUE : idle * 2_000_000_000L;
    }

    /** Open sessions. */
    public int count() {
        return sessions.size();
    }

    long idleTimeoutSeconds() {
        return settings.sessionIdleTimeoutSeconds();
    }

    /** A new session for a client at {@code ip}, or the {@link Refusal} (a cap, or draining). */
    Object create(InetAddress ip) {
        if (draining) {
            return new Refusal("draining", "the server is shutting down");
        }
        HttpSession s;
        synchronized (perIp) {
            if (settings.maxSessions() > 0 && sessions.size() >= settings.maxSessions()) {
                return new Refusal("max_sessions", "--http-max-sessions sessions are open");
            }
            int mine = perIp.getOrDefault(ip, 0);
            if (settings.maxSessionsPerIp() > 0 && mine >= settings.maxSessionsPerIp()) {
                return new Refusal("max_sessions_per_ip", "--http-max-sessions-per-ip sessions are open from this address");
            }
            byte[] id = new byte[16];
            RANDOM.nextBytes(id);
            s = new HttpSession(HexFormat.of().formatHex(id), ip, new LockOwner(ownerIds.getAsLong()), clock.nanoTime());
            perIp.put(ip, mine + 1);
            sessions.put(s.id, s);
        }
        if (graceNanos > 0) {
            synchronized (s) {
                s.expiry = scheduler.schedule(() -> onExpiryTimer(s), graceNanos);
            }
        }
        return s;
    }

    /** The open session of this id, or {@code null}. */
    HttpSession find(String id) {
        return id == null ? null : sessions.get(id);
    }

    /** Whether {@code id} has the form of a session id (32 lowercase hex digits). */
    static boolean wellFormed(String id) {
        if (id.length() != 32) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The session a lock request names in {@value #HEADER}, marked in flight until the request is
     * answered; or {@code null} once it has answered {@code 400} (no or malformed header) or
     * {@code 410 session_gone}.
     */
    HttpSession enter(HttpExchange ex) {
        String id = ex.header(HEADER);
        if (id == null || id.isEmpty()) {
            LockReplies.badRequest(ex, HEADER + " header required");
            return null;
        }
        if (!wellFormed(id)) {
            LockReplies.badRequest(ex, HEADER + " must be 32 lowercase hex digits");
            return null;
        }
        HttpSession s = sessions.get(id);
        if (s == null || !s.enter(clock.nanoTime())) {
            LockReplies.sessionGone(ex);
            return null;
        }
        ex.whenAnswered(() -> s.leave(clock.nanoTime()));
        return s;
    }

    /** Refreshes a session's idle timer; false when there is no such session. */
    boolean ping(String id) {
        HttpSession s = find(id);
        if (s == null) {
            return false;
        }
        s.touch(clock.nanoTime());
        return !s.isClosed();
    }

    /** Closes the session ({@code DELETE}): its grants are released before this returns. */
    boolean close(String id) {
        HttpSession s = find(id);
        return s != null && end(s);
    }

    /** Graceful shutdown began: no new sessions, queued long-polls answered {@code 503 draining}. */
    public void drain() {
        draining = true;
        for (HttpSession s : sessions.values()) {
            LongPoll running = s.running();
            if (running != null) {
                running.drain();
            }
        }
    }

    /** The server stops: every session ends. */
    public void closeAll() {
        draining = true;
        for (HttpSession s : sessions.values()) {
            end(s);
        }
    }

    private void onExpiryTimer(HttpSession s) {
        synchronized (s) {
            if (s.isClosed()) {
                return;
            }
            long left = s.expiresIn(clock.nanoTime(), graceNanos);
            if (left > 0) {
                s.expiry = scheduler.schedule(() -> onExpiryTimer(s), left);
                return;
            }
        }
        end(s);
    }

    /** Removes the session and runs the disconnect cleanup of its owner; false if it was gone already. */
    private boolean end(HttpSession s) {
        if (!sessions.remove(s.id, s)) {
            return false;
        }
        synchronized (perIp) {
            perIp.computeIfPresent(s.ip, (ip, n) -> n > 1 ? n - 1 : null);
        }
        List<LongPoll> calls;
        synchronized (s) {
            calls = s.close();
            locks.disconnect(s.owner);
        }
        for (LongPoll call : calls) {
            call.sessionClosed();
        }
        return true;
    }
}
