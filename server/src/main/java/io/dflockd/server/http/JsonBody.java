package io.dflockd.server.http;

import io.dflockd.protocol.JsonReader;
import io.dflockd.protocol.Keys;
import java.util.Map;
import java.util.Set;

/**
 * A request body as upstream's schemas have it: one JSON object of known fields
 * ({@code additionalProperties: false}), non-negative integers and strings. The value rules beyond
 * these (ranges, key and token rules) are the TCP grammar's, applied by {@link LockRequestBodies}.
 */
final class JsonBody {
    private final Map<String, Object> fields;

    /** A body the request broke a rule of; the detail goes into {@code 400 bad_request}. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String detail) {
            super(detail, null, false, false);
        }
    }

    private JsonBody(Map<String, Object> fields) {
        this.fields = fields;
    }

    /**
     * @param optional whether an empty body stands for {@code {}}
     * @param known    the fields the schema has
     */
    @SuppressWarnings("unchecked")
    static JsonBody parse(String text, boolean optional, Set<String> known) throws Invalid {
        if (text.isBlank()) {
            if (optional) {
                return new JsonBody(Map.of());
            }
            throw new Invalid("a JSON object body is required");
        }
        Object v;
        try {
            v = JsonReader.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
        if (!(v instanceof Map)) {
            throw new Invalid("the body must be a JSON object");
        }
        Map<String, Object> m = (Map<String, Object>) v;
        for (String name : m.keySet()) {
            if (!known.contains(name)) {
                throw new Invalid("unknown field \"" + name + "\"");
            }
        }
        return new JsonBody(m);
    }

    /**
     * A whole number of seconds, at least 0; {@code 0} when absent and not required (upstream's
     * "omit or 0": the server default).
     */
    long seconds(String name, boolean required) throws Invalid {
        Object v = fields.get(name);
        if (v == null) {
            if (required) {
                throw new Invalid(name + " is required");
            }
            return 0;
        }
        if (!(v instanceof Long n)) {
            throw new Invalid(name + " must be an integer");
        }
        if (n < 0) {
            throw new Invalid(name + " must be >= 0");
        }
        return n;
    }

    /** The required {@code limit}: a whole number that fits an int (the grammar wants it &gt; 0). */
    int limit() throws Invalid {
        long n = seconds("limit", true);
        if (n > Integer.MAX_VALUE) {
            throw new Invalid("limit must be at most " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /** The required {@code token}: a non-empty string free of whitespace. */
    String token() throws Invalid {
        Object v = fields.get("token");
        if (!(v instanceof String t) || t.isEmpty()) {
            throw new Invalid("token is required (a non-empty string)");
        }
        for (int i = 0; i < t.length(); i++) {
            if (Keys.isForbidden(t.charAt(i))) {
                throw new Invalid("token must not contain whitespace");
            }
        }
        return t;
    }
}
