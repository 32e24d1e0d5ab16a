package io.dflockd.protocol;

/**
 * The v2.1 token layout (PROTOCOL.md §8): 32 lowercase hex characters, a 16-hex big-endian fence
 * counter followed by 16 hex of random salt. Tokens of one key from one server compare
 * lexicographically in grant order.
 */
public final class FenceToken {
    /** Length of every token in characters. */
    public static final int LENGTH = 32;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private FenceToken() {
    }

    /** Writes the 32 ASCII bytes of the token for {@code fence} and {@code salt} into {@code out}. */
    public static void encode(long fence, long salt, byte[] out, int offset) {
        writeHex(fence, out, offset);
        writeHex(salt, out, offset + 16);
    }

    /** The token for {@code fence} and {@code salt} as a string. */
    public static String format(long fence, long salt) {
        byte[] b = new byte[LENGTH];
        encode(fence, salt, b, 0);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** True when {@code token} is exactly 32 lowercase hex characters. */
    public static boolean isWellFormed(CharSequence token) {
        if (token == null || token.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = token.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes the fence of a token (an unsigned 64-bit value; compare with
     * {@link Long#compareUnsigned}). Against servers older than v2.1 the result is random and must
     * not be used for fencing.
     *
     * @throws IllegalArgumentException if the token is not 32 lowercase hex characters
     */
    public static long fence(CharSequence token) {
        if (!isWellFormed(token)) {
            throw new IllegalArgumentException("not a dflockd token (32 lowercase hex characters expected)");
        }
        return Long.parseUnsignedLong(token.subSequence(0, 16).toString(), 16);
    }

    private static void writeHex(long v, byte[] out, int offset) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }
}
