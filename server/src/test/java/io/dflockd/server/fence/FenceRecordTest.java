package io.dflockd.server.fence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FenceRecordTest {

    @Test
    void encodesTheSpecLayout() {
        byte[] expected = JournalFiles.record(7, 0x0123456789ABCDEFL);
        assertThat(new FenceRecord(7, 0x0123456789ABCDEFL).encode()).isEqualTo(expected);
        assertThat(expected).startsWith('d', 'f', 'l', 'f', 'n', 'c', '1', '\n');
        assertThat(expected[15]).isEqualTo((byte) 7); // seq big-endian at 8..15
        assertThat(expected[16]).isEqualTo((byte) 0x01); // ceiling big-endian at 16..23
    }

    @Test
    void decodesWhatItEncodes() {
        byte[] buf = new byte[64];
        System.arraycopy(new FenceRecord(-1L, -2L).encode(), 0, buf, 32, 32);
        assertThat(FenceRecord.decode(buf, 32)).isEqualTo(new FenceRecord(-1L, -2L));
    }

    @Test
    void rejectsEverySingleByteCorruption() {
        byte[] good = new FenceRecord(3, 12345).encode();
        for (int i = 0; i < FenceRecord.SIZE; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            assertThat(FenceRecord.decode(bad, 0)).as("flipped byte %d", i).isNull();
        }
    }

    @Test
    void rejectsAnAllZeroSlot() {
        assertThat(FenceRecord.decode(new byte[32], 0)).isNull();
    }
}
