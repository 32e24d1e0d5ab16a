package io.dflockd.server.net;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.ProtocolLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Frames the byte stream into three-line {@link Frame}s (PROTOCOL.md §2): LF-terminated lines,
 * trailing CRs stripped, each line held to its cap (the argument cap depends on the command), and a
 * per-line read deadline that also covers idle time between requests.
 *
 * <p>Lines become Latin-1 strings: one char per byte, so keys stay byte-exact and no UTF-8 decoding
 * runs on the hot path; a key or argument that repeats the connection's previous one is the same
 * string again ({@link RepeatedLines}). While the connection waits in a blocking command the decoder is
 * {@linkplain #pause() paused}: bytes accumulate untouched and no read deadline runs; more than
 * {@value #PAUSED_BYTES_LIMIT} pending bytes is pipelining abuse.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    static final int PAUSED_BYTES_LIMIT = 4096;
    private static final int CR_SLACK = 8;

    private static final int LONGEST_COMMAND =
            java.util.Arrays.stream(Command.values()).mapToInt(c -> c.wire().length()).max().orElseThrow();

    private final long readTimeoutNanos;
    private ChannelHandlerContext ctx;
    private final RepeatedLines repeated = new RepeatedLines();
    /** Line 1's bytes for {@link Command#lookup}: as long as the longest command ({@code stable-ref}). */
    private final byte[] commandBytes = new byte[LONGEST_COMMAND];
    private int lineIndex;
    private Command command;
    private String key;
    private boolean discarding;
    private boolean paused;
    private boolean finished;
    private long lineStartedAt;
    private ScheduledFuture<?> deadlineCheck;

    /** @param readTimeoutNanos per-line read deadline; 0 disables it */
    public FrameDecoder(long readTimeoutNanos) {
        this.readTimeoutNanos = readTimeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        armLine();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        finished = true;
        super.channelInactive(ctx);
    }

    /** Stops decoding while a blocking command waits. Call on the event loop. */
    public void pause() {
        paused = true;
    }

    /** Resumes decoding, first of any bytes that arrived meanwhile. Call on the event loop. */
    public void resume() {
        if (!paused || finished) {
            return;
        }
        paused = false;
        armLine();
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    /** Stops producing requests for good (the connection is closing). */
    public void finish() {
        finished = true;
        cancelDeadline();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (paused) {
            if (in.readableBytes() > PAUSED_BYTES_LIMIT) {
                finished = true;
                in.skipBytes(in.readableBytes());
                out.add(Frame.PIPELINE_ABUSE);
            }
            return;
        }
        while (in.isReadable()) {
            int lf = in.forEachByte(ByteProcessor.FIND_LF);
            int cap = capOf(lineIndex);
            if (discarding) {
                if (lf < 0) {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                in.readerIndex(lf + 1);
                finished = true;
                out.add(Frame.LINE_TOO_LONG);
                return;
            }
            if (lf < 0) {
                // Incomplete line: judge its length so far, leaving room for a few trailing CRs,
                // which are stripped before the cap check once the LF arrives.
                if (in.readableBytes() > cap + CR_SLACK) {
                    discarding = true;
                    in.skipBytes(in.readableBytes());
                }
                return;
            }
            int start = in.readerIndex();
            int end = lf;
            while (end > start && in.getByte(end - 1) == '\r') {
                end--;
            }
            in.readerIndex(lf + 1);
            // The raw length is capped too, exactly as for an incomplete line above; otherwise a line
            // padded with many CRs would be accepted or refused depending on how TCP split it.
            if (end - start > cap || lf - start > cap + CR_SLACK) {
                finished = true;
                out.add(Frame.LINE_TOO_LONG);
                return;
            }
            String arg = acceptLine(in, start, end);
            if (lineIndex == 3) {
                lineIndex = 0;
                out.add(new Frame(command, key, arg, Frame.Event.REQUEST));
                command = null;
                key = null;
                return; // one request per call: the handler may pause us before the next
            }
        }
    }

    /** Takes in one line; returns it when it is line 3 (the argument), else {@code null}. */
    private String acceptLine(ByteBuf in, int start, int end) {
        armLine();
        String arg = null;
        if (lineIndex == 0) {
            command = lookup(in, start, end);
        } else if (lineIndex == 1) {
            key = repeated.key(in, start, end);
        } else {
            arg = repeated.arg(command, in, start, end);
        }
        lineIndex++;
        return arg;
    }

    private Command lookup(ByteBuf in, int start, int end) {
        int len = end - start;
        if (len == 0 || len > commandBytes.length) {
            return null;
        }
        in.getBytes(start, commandBytes, 0, len);
        return Command.lookup(commandBytes, 0, len);
    }

    private int capOf(int index) {
        if (index < 2) {
            return ProtocolLimits.MAX_LINE_BYTES;
        }
        return command == null ? ProtocolLimits.MAX_LINE_BYTES : command.argCap();
    }

    // ---- per-line read deadline: one lazily re-armed check, no task per line ----

    private void armLine() {
        if (readTimeoutNanos <= 0 || ctx == null) {
            return;
        }
        lineStartedAt = System.nanoTime();
        if (deadlineCheck == null) {
            deadlineCheck = ctx.executor().schedule(this::checkDeadline, readTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkDeadline() {
        deadlineCheck = null;
        if (finished) {
            return;
        }
        if (paused) {
            return; // resume() re-arms
        }
        long left = lineStartedAt + readTimeoutNanos - System.nanoTime();
        if (left > 0) {
            deadlineCheck = ctx.executor().schedule(this::checkDeadline, left, TimeUnit.NANOSECONDS);
            return;
        }
        finished = true;
        ctx.fireChannelRead(Frame.READ_TIMEOUT);
    }

    private void cancelDeadline() {
        if (deadlineCheck != null) {
            deadlineCheck.cancel(false);
            deadlineCheck = null;
        }
    }
}
