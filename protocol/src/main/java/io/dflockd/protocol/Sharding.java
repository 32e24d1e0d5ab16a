package io.dflockd.protocol;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The upstream key-to-server mapping (PROTOCOL.md §14.2): unsigned CRC-32/IEEE of the key's UTF-8
 * bytes, modulo the number of servers. Python, Go and TypeScript clients compute the same index.
 */
public final class Sharding {
    private Sharding() {
    }

    /** Unsigned CRC-32 of the UTF-8 bytes of {@code key}. */
    public static long crc32(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /**
     * Server index for {@code key} among {@code servers} servers.
     *
     * @throws IllegalArgumentException if {@code servers < 1}
     */
    public static int crc32Index(String key, int servers) {
        if (servers < 1) {
            throw new IllegalArgumentException("server count must be at least 1, got " + servers);
        }
        return (int) (crc32(key) % servers);
    }
}
