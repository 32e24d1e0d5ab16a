package io.dflockd.server.fence;

/**
 * CRC-64/GO-ISO, the checksum Go's {@code hash/crc64} computes with its {@code ISO} table: reflected
 * polynomial {@code 0xD800000000000000}, initial value and final xor all ones. The fence state file
 * (PROTOCOL.md §8.4) protects each journal record with it; the JDK has no CRC-64, so this is a
 * plain byte-at-a-time table implementation (records are 24 bytes, speed is irrelevant).
 *
 * <p>Check value: the CRC of ASCII {@code "123456789"} is {@code 0xB90956C775A41001}.
 */
public final class Crc64GoIso {
    /** The reflected ISO 3309 polynomial, as Go's {@code crc64.ISO}. */
    public static final long POLY = 0xD800000000000000L;

    private static final long[] TABLE = makeTable();

    private Crc64GoIso() {
    }

    /** The CRC of {@code data[offset, offset + length)}. */
    public static long checksum(byte[] data, int offset, int length) {
        return update(0L, data, offset, length);
    }

    /** The CRC of all of {@code data}. */
    public static long checksum(byte[] data) {
        return update(0L, data, 0, data.length);
    }

    /**
     * Continues a CRC with more bytes, with the same convention as Go's {@code crc64.Update}: pass
     * {@code 0} to start, or a previous result to continue, so that checksumming in pieces gives the
     * same value as checksumming the concatenation.
     */
    public static long update(long crc, byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        // The register holds the complemented CRC; complementing on the way in and out is what
        // "init all ones, xor-out all ones" means and keeps update() composable.
        long c = ~crc;
        for (int i = offset, end = offset + length; i < end; i++) {
            c = TABLE[(int) ((c ^ data[i]) & 0xFF)] ^ (c >>> 8);
        }
        return ~c;
    }

    private static long[] makeTable() {
        long[] t = new long[256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int bit = 0; bit < 8; bit++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            t[i] = c;
        }
        return t;
    }
}
