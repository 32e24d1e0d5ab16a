package io.dflockd.server.http;

import io.dflockd.protocol.ProtocolException;
import io.dflockd.protocol.ProtocolLimits;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.RequestGrammar;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The typed protocol {@link Request} of each lock endpoint, built from the path's key and the JSON
 * body and then checked by the TCP grammar ({@link RequestGrammar}) itself, so HTTP accepts exactly
 * the keys, timeouts, leases, limits and tokens the wire protocol accepts.
 */
final class LockRequestBodies {
    private static final Set<String> ACQUIRE = Set.of("acquire_timeout_s", "lease_ttl_s");
    private static final Set<String> SEM_ACQUIRE = Set.of("acquire_timeout_s", "limit", "lease_ttl_s");
    private static final Set<String> TOKEN = Set.of("token");
    private static final Set<String> RENEW = Set.of("token", "lease_ttl_s");
    private static final Set<String> ENQUEUE = Set.of("lease_ttl_s");
    private static final Set<String> SEM_ENQUEUE = Set.of("limit", "lease_ttl_s");
    private static final Set<String> WAIT = Set.of("timeout_s");

    private LockRequestBodies() {
    }

    /** The path's key as the lock manager stores keys: its UTF-8 bytes, one char per byte. */
    static String wireKey(HttpExchange ex) throws JsonBody.Invalid {
        String wire = new String(ex.param("key").getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        if (wire.length() > ProtocolLimits.MAX_LINE_BYTES) {
            throw new JsonBody.Invalid("key is longer than " + ProtocolLimits.MAX_LINE_BYTES + " bytes");
        }
        return wire;
    }

    static Request.Acquire acquire(String key, String body, boolean semaphore) throws JsonBody.Invalid {
        JsonBody b = JsonBody.parse(body, false, semaphore ? SEM_ACQUIRE : ACQUIRE);
        long timeout = b.seconds("acquire_timeout_s", true);
        long lease = b.seconds("lease_ttl_s", false);
        return checked(semaphore ? Request.Acquire.semaphore(key, timeout, b.limit(), lease)
                : Request.Acquire.lock(key, timeout, lease));
    }

    static Request.Release release(String key, String body, boolean semaphore) throws JsonBody.Invalid {
        return checked(new Request.Release(key, JsonBody.parse(body, false, TOKEN).token(), semaphore));
    }

    static Request.Renew renew(String key, String body, boolean semaphore) throws JsonBody.Invalid {
        JsonBody b = JsonBody.parse(body, false, RENEW);
        return checked(new Request.Renew(key, b.token(), b.seconds("lease_ttl_s", false), semaphore));
    }

    static Request.Enqueue enqueue(String key, String body, boolean semaphore) throws JsonBody.Invalid {
        JsonBody b = JsonBody.parse(body, !semaphore, semaphore ? SEM_ENQUEUE : ENQUEUE);
        long lease = b.seconds("lease_ttl_s", false);
        return checked(semaphore ? Request.Enqueue.semaphore(key, b.limit(), lease) : Request.Enqueue.lock(key, lease));
    }

    static Request.Wait await(String key, String body, boolean semaphore) throws JsonBody.Invalid {
        JsonBody b = JsonBody.parse(body, false, WAIT);
        return checked(new Request.Wait(key, b.seconds("timeout_s", true), semaphore));
    }

    /** Runs the request's own three lines through the TCP grammar: its rules, its messages. */
    @SuppressWarnings("unchecked")
    private static <R extends Request> R checked(R r) throws JsonBody.Invalid {
        try {
            return (R) RequestGrammar.parse(r.command(), r.key(), r.arg());
        } catch (ProtocolException e) {
            throw new JsonBody.Invalid(e.getMessage());
        }
    }
}
