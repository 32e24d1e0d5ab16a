package io.dflockd.bench.wire;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The bench's only way onto the wire: requests are encoded and replies parsed by the protocol codec
 * ({@link Request}, {@link Reply}), in the charset the Java client uses. Hot paths use bytes produced
 * here once ({@link RequestTemplate}) and checks proven to agree with the codec ({@link ReplyBytes}).
 */
public final class Wire {
    /** What the Java client sends: UTF-8 (the server compares keys as bytes). */
    public static final Charset CHARSET = StandardCharsets.UTF_8;

    private Wire() {
    }

    /** The request's three lines as the client would send them. */
    public static byte[] encode(Request request) {
        return request.encode(CHARSET);
    }

    /**
     * A received line (LF and trailing CRs removed) as the codec reads it.
     *
     * @throws IOException when the codec rejects the line (a known status with fields that fit no shape)
     */
    public static Reply parse(String line) throws IOException {
        try {
            return Reply.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed reply '" + line + "': " + e.getMessage(), e);
        }
    }
}
