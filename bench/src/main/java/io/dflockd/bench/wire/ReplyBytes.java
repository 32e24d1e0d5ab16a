package io.dflockd.bench.wire;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.SignalFrame;
import io.dflockd.protocol.Status;
import java.nio.charset.StandardCharsets;

/**
 * Allocation-free checks of a received line in a byte buffer, for the load tool's hot loops. Each
 * check accepts only lines that {@link Reply#parse} (or {@link SignalFrame#parse}) reads as the same
 * shape with the same fields, and accepts the shapes the servers actually send; anything else is
 * left to the codec (the callers then parse the line with {@link Wire#parse}). ReplyBytesTest proves
 * that agreement over the servers' shapes, near misses and random lines.
 *
 * <p>Lines are {@code line[from, to)}, LF and trailing CRs already removed, one char per byte
 * (Latin-1), as {@link LineSocket#lineText} hands them to the codec.
 */
public final class ReplyBytes {
    private static final byte[][] BARE = new byte[Status.values().length][];
    private static final byte[] OK_SPACE = (Status.OK.wire() + ' ').getBytes(StandardCharsets.US_ASCII);
    /** Where the token of a grant starts, after {@code "ok "}: see {@link #grantedTokenEnd}. */
    public static final int TOKEN_START = OK_SPACE.length;
    private static final byte[] PUSH = SignalFrame.PREFIX.getBytes(StandardCharsets.US_ASCII);
    /** Fewer digits than this always fit a long; 19-digit numbers are left to the codec. */
    private static final int MAX_FAST_DIGITS = 18;
    /** The codec reads a field of at most this many digits as a number (Reply.isCount). */
    private static final int MAX_COUNT_DIGITS = 19;

    static {
        for (Status s : Status.values()) {
            BARE[s.ordinal()] = s.wire().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private ReplyBytes() {
    }

    /** Whether the line is the status word alone: {@code Reply.parse} gives {@code Bare(status)}. */
    public static boolean isBare(byte[] line, int from, int to, Status status) {
        byte[] w = BARE[status.ordinal()];
        return to - from == w.length && startsWith(line, from, to, w);
    }

    /**
     * The end of the token when the line is {@code ok <token> <lease>} or {@code ok <token> <lease>
     * <fence>} as {@code Reply.parse} reads {@code Granted(OK, token, lease)}: the token is
     * {@code line[from + TOKEN_START, end)}. {@code -1} when it is not, or not surely (then ask the codec).
     */
    public static int grantedTokenEnd(byte[] line, int from, int to) {
        if (!startsWith(line, from, to, OK_SPACE)) {
            return -1;
        }
        int tokenStart = from + OK_SPACE.length;
        int i = tokenStart;
        boolean allDigits = true;
        while (i < to && line[i] != ' ') {
            allDigits &= isDigit(line[i]);
            i++;
        }
        int tokenEnd = i;
        int tokenLength = tokenEnd - tokenStart;
        if (tokenLength == 0 || i == to || line[tokenStart] == '{' || line[tokenStart] == '[') {
            return -1; // no token, no lease, or a JSON payload
        }
        int leaseEnd = digitsEnd(line, i + 1, to);
        if (leaseEnd < 0) {
            return -1;
        }
        if (leaseEnd == to) {
            // Three fields: the codec reads "ok <count> <count>" as a renewal with a fence.
            return allDigits && tokenLength <= MAX_COUNT_DIGITS ? -1 : tokenEnd;
        }
        if (line[leaseEnd] != ' ') {
            return -1;
        }
        return digitsEnd(line, leaseEnd + 1, to) == to ? tokenEnd : -1;
    }

    /**
     * The number when the line is {@code ok <n>} ({@code Reply.parse} gives {@code Numeric(n)}), {@code -1}
     * when it is not, or not surely.
     */
    public static long okCount(byte[] line, int from, int to) {
        if (!startsWith(line, from, to, OK_SPACE)) {
            return -1;
        }
        int start = from + OK_SPACE.length;
        if (digitsEnd(line, start, to) != to) {
            return -1;
        }
        long v = 0;
        for (int i = start; i < to; i++) {
            v = v * 10 + (line[i] - '0');
        }
        return v;
    }

    /**
     * Where the payload starts when the line is a push {@code sig <channel> <payload>} as
     * {@link SignalFrame#parse} splits it; {@code -1} when the line is no well-formed push.
     */
    public static int pushPayloadStart(byte[] line, int from, int to) {
        if (!startsWith(line, from, to, PUSH)) {
            return -1;
        }
        for (int i = from + PUSH.length; i < to; i++) {
            if (line[i] == ' ') {
                return i + 1;
            }
        }
        return -1;
    }

    /** End of 1..18 digits starting at {@code from}: the index of the first non-digit, or -1. */
    private static int digitsEnd(byte[] line, int from, int to) {
        int i = from;
        while (i < to && isDigit(line[i])) {
            i++;
        }
        return i == from || i - from > MAX_FAST_DIGITS ? -1 : i;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean startsWith(byte[] line, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
