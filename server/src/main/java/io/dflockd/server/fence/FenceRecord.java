package io.dflockd.server.fence;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One 32-byte record of the fence state-file journal (PROTOCOL.md §8.4): magic
 * {@code "dflfnc1\n"}, sequence number, ceiling, and the CRC-64/GO-ISO of the first 24 bytes, all
 * integers big-endian. {@code seq} and {@code ceiling} are unsigned 64-bit on disk.
 */
record FenceRecord(long seq, long ceiling) {
    /** Size of a record, and of a journal slot, in bytes. */
    static final int SIZE = 32;

    private static final byte[] MAGIC = {'d', 'f', 'l', 'f', 'n', 'c', '1', '\n'};
    private static final int CRC_OFFSET = 24;

    /** The 32 bytes of this record. */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE); // big-endian by default
        b.put(MAGIC).putLong(seq).putLong(ceiling);
        b.putLong(Crc64GoIso.checksum(b.array(), 0, CRC_OFFSET));
        return b.array();
    }

    /**
     * Decodes the record at {@code buf[offset, offset + 32)}, or returns {@code null} when its magic
     * or checksum is wrong (an empty, torn or foreign slot).
     */
    static FenceRecord decode(byte[] buf, int offset) {
        if (!Arrays.equals(buf, offset, offset + MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, offset, SIZE);
        b.position(offset + MAGIC.length);
        long seq = b.getLong();
        long ceiling = b.getLong();
        long crc = b.getLong();
        if (crc != Crc64GoIso.checksum(buf, offset, CRC_OFFSET)) {
            return null;
        }
        return new FenceRecord(seq, ceiling);
    }
}
