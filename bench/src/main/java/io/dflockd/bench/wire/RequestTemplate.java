package io.dflockd.bench.wire;

import io.dflockd.protocol.Request;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A request whose bytes come from the protocol codec once, except one field that changes per call
 * (a release's token, a signal's payload). The request is encoded by {@link Request#encode} with a
 * marker in that field; the bytes before and after the marker become prefix and suffix. Prefix +
 * field + suffix is then exactly what the codec encodes for that field (RequestTemplateTest), and
 * writing it allocates nothing.
 *
 * <p>The field must be ASCII (tokens, decimal stamps): its UTF-8 bytes are then its chars, so no
 * encoder runs per call. A non-ASCII field is refused rather than encoded differently.
 */
public final class RequestTemplate {
    private static final String MARKER = "\u0000field\u0000";
    private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.UTF_8);

    private final byte[] prefix;
    private final byte[] suffix;

    private RequestTemplate(byte[] prefix, byte[] suffix) {
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /**
     * @param request the request with {@code field} in the varying place, e.g.
     *     {@code t -> new Request.Release(key, t, false)}
     * @throws IllegalArgumentException when the field does not appear exactly once in the encoding
     *     (e.g. a key that itself contains the marker)
     */
    public static RequestTemplate of(Function<String, Request> request) {
        byte[] wire = request.apply(MARKER).encode(Wire.CHARSET);
        int at = indexOf(wire, 0);
        if (at < 0 || indexOf(wire, at + 1) >= 0) {
            throw new IllegalArgumentException("the varying field must occur exactly once in the request");
        }
        return new RequestTemplate(Arrays.copyOfRange(wire, 0, at),
                Arrays.copyOfRange(wire, at + MARKER_BYTES.length, wire.length));
    }

    private static int indexOf(byte[] wire, int from) {
        outer:
        for (int i = from; i <= wire.length - MARKER_BYTES.length; i++) {
            for (int j = 0; j < MARKER_BYTES.length; j++) {
                if (wire[i + j] != MARKER_BYTES[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Bytes of the request with a field of {@code fieldLength} chars. */
    public int length(int fieldLength) {
        return prefix.length + fieldLength + suffix.length;
    }

    /**
     * Writes the request with {@code field} into {@code dst} at {@code off}, which must have room for
     * {@link #length}{@code (field.length())} bytes.
     *
     * @return the offset after the request
     * @throws IllegalArgumentException when the field is not ASCII
     */
    public int writeTo(byte[] dst, int off, CharSequence field) {
        System.arraycopy(prefix, 0, dst, off, prefix.length);
        int p = off + prefix.length;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c >= 0x80) {
                throw new IllegalArgumentException("a template field must be ASCII");
            }
            dst[p++] = (byte) c;
        }
        System.arraycopy(suffix, 0, dst, p, suffix.length);
        return p + suffix.length;
    }

    /** The request with {@code field} as a new array (cold paths and tests). */
    public byte[] encode(CharSequence field) {
        byte[] out = new byte[length(field.length())];
        writeTo(out, 0, field);
        return out;
    }
}
