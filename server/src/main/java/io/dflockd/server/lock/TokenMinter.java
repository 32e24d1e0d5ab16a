package io.dflockd.server.lock;

import io.dflockd.protocol.FenceToken;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Mints v2.1 tokens: fence prefix plus 8 bytes of CSPRNG salt. Each thread draws salt from its own
 * buffer refilled 4 KiB at a time, so the hot path neither locks a shared SecureRandom nor calls
 * into the kernel per grant.
 *
 * <p>Public only so that the bench module's JMH benchmark (io.dflockd.bench.jmh.TokenMintingBenchmark)
 * can measure it from its own package; the server itself uses it only from the lock manager
 * ({@link LockManager}, {@link Slots}).
 */
public final class TokenMinter {
    private static final int BUFFER_BYTES = 4096;
    private static final SecureRandom SEED = new SecureRandom();

    private static final ThreadLocal<PerThread> STATE = ThreadLocal.withInitial(PerThread::new);

    private TokenMinter() {
    }

    /** A new token for {@code fence}: its 16 hex digits, then 16 of fresh salt. */
    public static String mint(long fence) {
        PerThread t = STATE.get();
        FenceToken.encode(fence, t.salt(), t.token, 0);
        return new String(t.token, StandardCharsets.ISO_8859_1);
    }

    /** A token for {@code fence} with the given salt (cluster mode: salts come from the replicated log). */
    public static String mint(long fence, long salt) {
        PerThread t = STATE.get();
        FenceToken.encode(fence, salt, t.token, 0);
        return new String(t.token, StandardCharsets.ISO_8859_1);
    }

    /** Eight bytes of this thread's CSPRNG salt buffer: the standalone server's salt source. */
    public static long salt() {
        return STATE.get().salt();
    }

    /**
     * One thread's salt buffer, and the bytes of the token being built: the String copies them, so
     * a scratch array saves a 48-byte temporary per grant.
     */
    private static final class PerThread {
        private final ByteBuffer salt = ByteBuffer.allocate(BUFFER_BYTES).position(BUFFER_BYTES);
        private final byte[] token = new byte[FenceToken.LENGTH];

        long salt() {
            if (salt.remaining() < Long.BYTES) {
                synchronized (SEED) {
                    SEED.nextBytes(salt.array());
                }
                salt.clear();
            }
            return salt.getLong();
        }
    }
}
