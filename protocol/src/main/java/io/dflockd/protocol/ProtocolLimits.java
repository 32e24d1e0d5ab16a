package io.dflockd.protocol;

/** Numeric limits and defaults fixed by the wire protocol (PROTOCOL.md §2.2, §5, §12). */
public final class ProtocolLimits {
    /** Cap of the command and key lines, and of most argument lines, in bytes before the LF. */
    public static final int MAX_LINE_BYTES = 256;
    /** Cap of the argument line of {@code auth} and {@code signal} (v1.15+), in bytes. */
    public static final int MAX_PAYLOAD_BYTES = 65_536;
    /** Largest timeout or lease in seconds that still fits Go's nanosecond durations. */
    public static final long MAX_SECONDS = 9_223_372_036L;
    /** Length of the push prefix {@code "sig "}. */
    public static final int SIGNAL_PREFIX_BYTES = 4;
    /** Default TCP port. */
    public static final int DEFAULT_PORT = 6388;
    /** Default bind / connect host. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Server default per-line read timeout in seconds. */
    public static final int DEFAULT_READ_TIMEOUT_S = 23;
    /** Server default lease TTL in seconds. */
    public static final int DEFAULT_LEASE_TTL_S = 33;

    private ProtocolLimits() {
    }

    /**
     * Largest payload that may be published on {@code channelBytes} bytes of channel, so the pushed
     * frame {@code sig <channel> <payload>} fits a 64 KiB line (PROTOCOL.md §9.4).
     */
    public static int maxPayloadBytes(int channelBytes) {
        return MAX_PAYLOAD_BYTES - SIGNAL_PREFIX_BYTES - channelBytes - 1;
    }
}
