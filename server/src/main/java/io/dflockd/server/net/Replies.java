package io.dflockd.server.net;

import io.dflockd.protocol.Status;
import io.dflockd.server.lock.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;

/**
 * Encodes reply lines (PROTOCOL.md §2.4, §11.1) straight into buffers: fixed replies are shared
 * read-only buffers, grants are written field by field without building strings.
 */
public final class Replies {
    private static final EnumMap<Status, ByteBuf> BARE = new EnumMap<>(Status.class);

    static {
        for (Status s : Status.values()) {
            byte[] line = (s.wire() + "\n").getBytes(StandardCharsets.US_ASCII);
            BARE.put(s, Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(line).asReadOnly()));
        }
    }

    private Replies() {
    }

    /** The status word of an outcome that carries no token or number. */
    static Status statusOf(Outcome.Kind kind) {
        switch (kind) {
            case QUEUED: return Status.QUEUED;
            case RELEASED: return Status.OK;
            case TIMEOUT: return Status.TIMEOUT;
            case MAX_LOCKS: return Status.ERROR_MAX_LOCKS;
            case MAX_WAITERS: return Status.ERROR_MAX_WAITERS;
            case LIMIT_MISMATCH: return Status.ERROR_LIMIT_MISMATCH;
            case NOT_ENQUEUED: return Status.ERROR_NOT_ENQUEUED;
            case ALREADY_ENQUEUED: return Status.ERROR_ALREADY_ENQUEUED;
            case LEASE_EXPIRED: return Status.ERROR_LEASE_EXPIRED;
            case DRAINING: return Status.ERROR_DRAINING;
            default: return Status.ERROR;
        }
    }

    /** A reply that is just the status word. */
    public static ByteBuf bare(Status s) {
        return BARE.get(s).duplicate();
    }

    /** {@code <status> <token> <lease>} — the three-field grant shape. */
    public static ByteBuf grant(ByteBufAllocator alloc, Status s, String token, long lease) {
        ByteBuf b = alloc.buffer(s.wire().length() + token.length() + 24);
        b.writeCharSequence(s.wire(), StandardCharsets.US_ASCII);
        b.writeByte(' ');
        b.writeCharSequence(token, StandardCharsets.ISO_8859_1);
        b.writeByte(' ');
        writeDecimal(b, lease);
        b.writeByte('\n');
        return b;
    }

    /** {@code ok <n>} — renewals and signal delivery counts. */
    public static ByteBuf okNumber(ByteBufAllocator alloc, long n) {
        ByteBuf b = alloc.buffer(24);
        b.writeByte('o').writeByte('k').writeByte(' ');
        writeDecimal(b, n);
        b.writeByte('\n');
        return b;
    }

    /** {@code ok <payload>} for an already-encoded payload (stats JSON). */
    public static ByteBuf okPayload(ByteBufAllocator alloc, byte[] payload) {
        ByteBuf b = alloc.buffer(payload.length + 4);
        b.writeByte('o').writeByte('k').writeByte(' ');
        b.writeBytes(payload);
        b.writeByte('\n');
        return b;
    }

    static void writeDecimal(ByteBuf b, long v) {
        if (v >= 0 && v < 10) {
            b.writeByte('0' + (int) v);
            return;
        }
        b.writeCharSequence(Long.toString(v), StandardCharsets.US_ASCII);
    }
}
