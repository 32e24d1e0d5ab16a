package io.dflockd.server.fence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Test-side reader and writer of the state-file journal, written from the spec (PROTOCOL.md §8.4)
 * independently of {@link FenceRecord}, so that format mistakes there cannot cancel out.
 */
final class JournalFiles {
    static final byte[] MAGIC = "dflfnc1\n".getBytes(StandardCharsets.US_ASCII);

    /** One decoded slot; {@code valid} is false for bad magic or checksum. */
    record Slot(boolean valid, long seq, long ceiling) {
    }

    private JournalFiles() {
    }

    static byte[] record(long seq, long ceiling) {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.put(MAGIC).putLong(seq).putLong(ceiling);
        b.putLong(Crc64GoIso.checksum(Arrays.copyOf(b.array(), 24)));
        return b.array();
    }

    static void write(Path file, byte[]... parts) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        Files.write(file, b.array());
    }

    static Slot[] read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        Slot[] slots = new Slot[all.length / 32];
        for (int i = 0; i < slots.length; i++) {
            ByteBuffer b = ByteBuffer.wrap(all, i * 32, 32).slice();
            byte[] magic = new byte[8];
            b.get(magic);
            long seq = b.getLong();
            long ceiling = b.getLong();
            long crc = b.getLong();
            boolean valid = Arrays.equals(magic, MAGIC)
                    && crc == Crc64GoIso.checksum(all, i * 32, 24);
            slots[i] = new Slot(valid, seq, ceiling);
        }
        return slots;
    }

    /** The ceiling of the valid record with the highest sequence number. */
    static long newestCeiling(Path file) throws IOException {
        Slot best = null;
        for (Slot s : read(file)) {
            if (s.valid() && (best == null || s.seq() > best.seq())) {
                best = s;
            }
        }
        if (best == null) {
            throw new AssertionError("no valid record in " + file);
        }
        return best.ceiling();
    }

    static void flipByte(Path file, int offset) throws IOException {
        byte[] all = Files.readAllBytes(file);
        all[offset] ^= 0x5A;
        Files.write(file, all);
    }
}
