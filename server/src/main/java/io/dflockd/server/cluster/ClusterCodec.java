package io.dflockd.server.cluster;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.ProtocolException;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.RequestGrammar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of proposals and log entries (CLUSTER-DESIGN.md §2.2). A proposal is what a node sends:
 * {@code u8 format, u32 count, commands}. The leader stamps it into a log entry by prefixing
 * {@code i64 stamp, i64 wall, i64 saltSeed}. A request travels as its three protocol lines and is
 * parsed again on apply by the same grammar the server reads the wire with, so a replica cannot
 * read an entry differently from the node that accepted it. Strings are Latin-1, byte-exact.
 */
final class ClusterCodec {
    private static final byte FORMAT = 1;
    private static final byte OP = 1;
    private static final byte DISCONNECT = 2;
    private static final byte TICK = 3;
    private static final byte NODE_UP = 4;
    private static final byte ABANDON = 5;
    private static final byte BIND_REF = 6;
    private static final byte NODE_GONE = 7;
    /** The stamp prefix: three longs. */
    static final int STAMP_BYTES = 3 * Long.BYTES;

    private ClusterCodec() {
    }

    static byte[] encodeProposal(List<ClusterCommand> commands) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 48 * commands.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(commands.size());
            for (ClusterCommand c : commands) {
                write(out, c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** The log entry of {@code proposal}, stamped by the leader. */
    static byte[] stamp(byte[] proposal, long stampNanos, long wallNanos, long saltSeed) {
        return ByteBuffer.allocate(STAMP_BYTES + proposal.length).putLong(stampNanos).putLong(wallNanos)
                .putLong(saltSeed).put(proposal).array();
    }

    /** Reads a stamped log entry; a malformed one means the replicas diverged or the log is corrupt. */
    static ClusterEntry decodeEntry(byte[] entry) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            long stamp = in.readLong();
            long wall = in.readLong();
            long seed = in.readLong();
            return new ClusterEntry(stamp, wall, seed, readProposal(in));
        } catch (IOException | ProtocolException e) {
            throw new IllegalStateException("unreadable cluster log entry: " + e.getMessage(), e);
        }
    }

    /** Reads an unstamped proposal (the leader checks what it stamps). */
    static List<ClusterCommand> decodeProposal(byte[] proposal) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(proposal))) {
            return readProposal(in);
        } catch (IOException | ProtocolException e) {
            throw new IllegalArgumentException("malformed cluster proposal: " + e.getMessage(), e);
        }
    }

    private static List<ClusterCommand> readProposal(DataInputStream in) throws IOException, ProtocolException {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("unknown format " + format);
        }
        int count = in.readInt();
        if (count < 0 || count > in.available()) {
            throw new IOException("bad command count " + count);
        }
        List<ClusterCommand> commands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            commands.add(read(in));
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " trailing bytes");
        }
        return commands;
    }

    private static void write(DataOutputStream out, ClusterCommand c) throws IOException {
        if (c instanceof ClusterCommand.Op op) {
            out.writeByte(OP);
            writeSession(out, op.session());
            out.writeLong(op.seq());
            writeString(out, op.request().command().wire());
            writeString(out, op.request().key());
            writeString(out, op.request().arg());
        } else if (c instanceof ClusterCommand.Disconnect d) {
            out.writeByte(DISCONNECT);
            writeSession(out, d.session());
        } else if (c instanceof ClusterCommand.Abandon a) {
            out.writeByte(ABANDON);
            writeSession(out, a.session());
        } else if (c instanceof ClusterCommand.NodeUp up) {
            out.writeByte(NODE_UP);
            writeString(out, up.node());
            out.writeLong(up.incarnation());
        } else if (c instanceof ClusterCommand.BindRef b) {
            out.writeByte(BIND_REF);
            writeSession(out, b.session());
            writeString(out, b.ref());
        } else if (c instanceof ClusterCommand.NodeGone gone) {
            out.writeByte(NODE_GONE);
            writeString(out, gone.node());
            out.writeLong(gone.incarnation());
        } else {
            out.writeByte(TICK);
        }
    }

    private static ClusterCommand read(DataInputStream in) throws IOException, ProtocolException {
        byte type = in.readByte();
        switch (type) {
            case OP: {
                SessionKey session = readSession(in);
                long seq = in.readLong();
                String command = readString(in);
                String key = readString(in);
                String arg = readString(in);
                return new ClusterCommand.Op(session, seq, RequestGrammar.parse(command, key, arg));
            }
            case DISCONNECT:
                return new ClusterCommand.Disconnect(readSession(in));
            case TICK:
                return new ClusterCommand.Tick();
            case ABANDON:
                return new ClusterCommand.Abandon(readSession(in));
            case NODE_UP:
                return new ClusterCommand.NodeUp(readString(in), in.readLong());
            case BIND_REF: {
                SessionKey session = readSession(in);
                String ref = readString(in);
                return new ClusterCommand.BindRef(session, ((Request.StableRef) RequestGrammar.parse(
                        Command.STABLE_REF, ref, Request.NO_KEY)).ref());
            }
            case NODE_GONE:
                return new ClusterCommand.NodeGone(readString(in), in.readLong());
            default:
                throw new IOException("unknown command type " + type);
        }
    }

    private static void writeSession(DataOutputStream out, SessionKey s) throws IOException {
        writeString(out, s.node());
        out.writeLong(s.incarnation());
        out.writeLong(s.localId());
    }

    private static SessionKey readSession(DataInputStream in) throws IOException {
        return new SessionKey(readString(in), in.readLong(), in.readLong());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad string length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }
}
