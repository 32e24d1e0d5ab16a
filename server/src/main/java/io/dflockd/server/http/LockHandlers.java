package io.dflockd.server.http;

import io.dflockd.protocol.Request;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockRequests;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import io.netty.handler.codec.http.HttpMethod;
import java.util.function.BooleanSupplier;

/**
 * {@code /v1/locks/{key}} and {@code /v1/semaphores/{key}} with their {@code release}, {@code renew},
 * {@code enqueue} and {@code wait}: the session named in {@code X-Dflockd-Session} runs the typed
 * request through the same {@link LockRequests} a TCP connection does, so both queue in one FIFO
 * per key. An acquire or wait with a timeout is a {@link LongPoll}; everything else answers at once.
 */
final class LockHandlers {
    private static final WaitListener NEVER_BLOCKS = o -> {
        throw new IllegalStateException("a call without a timeout cannot block");
    };

    private final LockManager locks;
    private final HttpSessions sessions;
    private final BooleanSupplier draining;

    /** One endpoint's request: the path's key and the body in, a checked protocol request out. */
    @FunctionalInterface
    private interface Parser {
        Request parse(String key, String body, boolean semaphore) throws JsonBody.Invalid;
    }

    private LockHandlers(LockManager locks, HttpSessions sessions, BooleanSupplier draining) {
        this.locks = locks;
        this.sessions = sessions;
        this.draining = draining;
    }

    static HttpRouter.Builder install(HttpRouter.Builder router, LockManager locks, HttpSessions sessions,
            BooleanSupplier draining) {
        LockHandlers h = new LockHandlers(locks, sessions, draining);
        for (boolean semaphore : new boolean[] {false, true}) {
            String base = semaphore ? "/v1/semaphores/{key}" : "/v1/locks/{key}";
            router.route(HttpMethod.POST, base, ex -> h.serve(ex, semaphore, LockRequestBodies::acquire))
                    .route(HttpMethod.POST, base + "/release", ex -> h.serve(ex, semaphore, LockRequestBodies::release))
                    .route(HttpMethod.POST, base + "/renew", ex -> h.serve(ex, semaphore, LockRequestBodies::renew))
                    .route(HttpMethod.POST, base + "/enqueue", ex -> h.serve(ex, semaphore, LockRequestBodies::enqueue))
                    .route(HttpMethod.POST, base + "/wait", ex -> h.serve(ex, semaphore, LockRequestBodies::await));
        }
        return router;
    }

    private void serve(HttpExchange ex, boolean semaphore, Parser parser) {
        HttpSession s = sessions.enter(ex);
        if (s == null) {
            return;
        }
        Request r;
        try {
            r = parser.parse(LockRequestBodies.wireKey(ex), ex.body(), semaphore);
        } catch (JsonBody.Invalid e) {
            LockReplies.badRequest(ex, e.getMessage());
            return;
        }
        boolean tokenOp = r instanceof Request.Release || r instanceof Request.Renew;
        if (!tokenOp && draining.getAsBoolean()) {
            LockReplies.draining(ex); // as on TCP: holders may still release and renew
            return;
        }
        if (blocks(r)) {
            s.runBlocking(new LongPoll(locks, s, ex, r.key(), l -> LockRequests.execute(locks, s.owner, r, l)));
            return;
        }
        Outcome o = s.call(() -> LockRequests.execute(locks, s.owner, r, NEVER_BLOCKS));
        if (o == null) {
            LockReplies.sessionGone(ex);
            return;
        }
        if (o.kind() == Outcome.Kind.GRANTED || o.kind() == Outcome.Kind.ACQUIRED) {
            ex.onWriteFailure(() -> locks.release(r.key(), o.token()));
        }
        LockReplies.outcome(ex, o, tokenOp);
    }

    /** Whether the request may wait in a queue (a timeout above 0). */
    private static boolean blocks(Request r) {
        return r instanceof Request.Acquire a && a.timeoutSeconds() > 0
                || r instanceof Request.Wait w && w.timeoutSeconds() > 0;
    }
}
