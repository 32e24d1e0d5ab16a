package io.dflockd.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Key rules (PROTOCOL.md §5): non-empty, at most 256 bytes, and free of exactly four characters:
 * space, TAB, CR and LF. Everything else is accepted byte-for-byte, NUL included, as upstream's
 * server does; the client applies the same rule plus the byte cap (§14.8), so no key that the server
 * would accept is refused before it reaches the wire.
 */
public final class Keys {
    private Keys() {
    }

    /** True for the four characters the server refuses inside a key. */
    public static boolean isForbidden(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /**
     * Server-side check of a key already known to fit the line cap.
     *
     * @throws ProtocolException with {@link ErrorCode#BAD_KEY}
     */
    public static void checkWireKey(String key) throws ProtocolException {
        if (key.isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "empty key");
        }
        for (int i = 0; i < key.length(); i++) {
            if (isForbidden(key.charAt(i))) {
                throw new ProtocolException(ErrorCode.BAD_KEY, "key contains whitespace");
            }
        }
    }

    /**
     * Client-side validation of a key before it reaches the wire.
     *
     * @param what how to name the value in the message ("key", "channel", …)
     * @return the key, unchanged
     * @throws IllegalArgumentException with a message naming the problem
     */
    public static String requireValid(String key, String what) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (isForbidden(c)) {
                throw new IllegalArgumentException(what + " must not contain space, TAB, CR or LF: "
                        + printable(key));
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ProtocolLimits.MAX_LINE_BYTES) {
            throw new IllegalArgumentException(what + " is " + bytes + " UTF-8 bytes; the limit is "
                    + ProtocolLimits.MAX_LINE_BYTES);
        }
        return key;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\t': b.append("\\t"); break;
                case '\r': b.append("\\r"); break;
                case '\n': b.append("\\n"); break;
                case 0: b.append("\\0"); break;
                default: b.append(c);
            }
        }
        return b.append(s.length() > 80 ? "…\"" : "\"").toString();
    }
}
