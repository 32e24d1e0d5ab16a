package io.dflockd.client;

import io.dflockd.protocol.Args;
import io.dflockd.protocol.FenceToken;
import io.dflockd.protocol.Keys;
import io.dflockd.protocol.ProtocolLimits;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Subjects;
import java.nio.charset.StandardCharsets;

/** Client-side input rules (PROTOCOL.md §14.8): nothing invalid reaches the wire. */
final class Validate {
    private Validate() {
    }

    static String key(String key) {
        return Keys.requireValid(key, "key");
    }

    static String token(String token) {
        if (!FenceToken.isWellFormed(token)) {
            throw new IllegalArgumentException("token must be 32 lowercase hex characters, got "
                    + (token == null ? "null" : "\"" + token + "\""));
        }
        return token;
    }

    static int limit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("semaphore limit must be at least 1, got " + limit);
        }
        return limit;
    }

    static String pattern(String pattern) {
        Keys.requireValid(pattern, "pattern");
        if (!Subjects.isValidPattern(pattern)) {
            throw new IllegalArgumentException("invalid pattern \"" + pattern
                    + "\": '*' and '>' must be whole dot-separated tokens and '>' must be last");
        }
        return pattern;
    }

    static String channel(String channel) {
        Keys.requireValid(channel, "channel");
        if (Subjects.hasWildcard(channel)) {
            throw new IllegalArgumentException("channel \"" + channel + "\" must not contain '*' or '>'"
                    + " (wildcards are for listen patterns)");
        }
        return channel;
    }

    /** A queue group: {@code null} or empty means none. */
    static String group(String group) {
        if (group == null || group.isEmpty()) {
            return "";
        }
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Args.isSpace(c)) {
                throw new IllegalArgumentException("group must not contain whitespace: \"" + group + "\"");
            }
        }
        int bytes = group.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ProtocolLimits.MAX_LINE_BYTES) {
            throw new IllegalArgumentException("group is " + bytes + " UTF-8 bytes; the limit is "
                    + ProtocolLimits.MAX_LINE_BYTES);
        }
        return group;
    }

    static String payload(String channel, String payload) {
        if (payload == null || payload.isEmpty()) {
            throw new IllegalArgumentException("payload must not be empty");
        }
        if (!Args.hasContent(payload)) {
            throw new IllegalArgumentException("payload must contain a non-whitespace character");
        }
        if (payload.indexOf('\r') >= 0 || payload.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("payload must not contain CR or LF");
        }
        int max = ProtocolLimits.maxPayloadBytes(channel.getBytes(StandardCharsets.UTF_8).length);
        int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > max) {
            throw new IllegalArgumentException("payload is " + bytes + " UTF-8 bytes; on channel \"" + channel
                    + "\" the limit is " + max);
        }
        return payload;
    }

    /**
     * A KV value ({@code kv}) or a list item: 1 character or more, without CR or LF (they end the
     * protocol's line; the server strips trailing CRs), and a KV value without a tab (it separates the
     * TTL on the wire).
     */
    static String value(String value, boolean kv) {
        String what = kv ? "value" : "item";
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(what + " must not contain CR or LF");
        }
        if (kv && value.indexOf('\t') >= 0) {
            throw new IllegalArgumentException("value must not contain a tab");
        }
        return value;
    }

    /** The argument line of {@code req} fits the command's cap in UTF-8 bytes (values travel on it). */
    static <R extends Request> R argLine(R req) {
        int bytes = req.arg().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > req.command().argCap()) {
            throw new IllegalArgumentException(req.command().wire() + " of \"" + req.key() + "\": the value makes an "
                    + "argument line of " + bytes + " UTF-8 bytes; the limit is " + req.command().argCap());
        }
        return req;
    }

    /** The parties of a barrier. */
    static int parties(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("a barrier needs at least 1 party, got " + parties);
        }
        return parties;
    }
}
