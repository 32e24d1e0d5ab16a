package io.dflockd.server.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64GoIsoTest {

    /** Bit-at-a-time definition of CRC-64/GO-ISO, the reference for the table version. */
    private static long bitwise(byte[] data, int offset, int length) {
        long crc = ~0L;
        for (int i = offset; i < offset + length; i++) {
            crc ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xD800000000000000L : crc >>> 1;
            }
        }
        return ~crc;
    }

    @Test
    void checkValue() {
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64GoIso.checksum(data)).isEqualTo(0xB90956C775A41001L);
        assertThat(bitwise(data, 0, data.length)).isEqualTo(0xB90956C775A41001L);
    }

    @Test
    void emptyInputIsZero() {
        assertThat(Crc64GoIso.checksum(new byte[0])).isZero();
    }

    @Test
    void tableMatchesBitwiseReferenceOnRandomInputs() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[random.nextInt(200)];
            random.nextBytes(data);
            int offset = data.length == 0 ? 0 : random.nextInt(data.length);
            int length = random.nextInt(data.length - offset + 1);
            assertThat(Crc64GoIso.checksum(data, offset, length))
                    .as("input %d", i)
                    .isEqualTo(bitwise(data, offset, length));
        }
    }

    @Test
    void updateInPiecesEqualsWhole() {
        byte[] data = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= data.length; split++) {
            long first = Crc64GoIso.update(0L, data, 0, split);
            assertThat(Crc64GoIso.update(first, data, split, data.length - split))
                    .isEqualTo(Crc64GoIso.checksum(data));
        }
    }
}
