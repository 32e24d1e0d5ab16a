package io.dflockd.protocol;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * A {@link Stats} as the one-line JSON object of the {@code stats} reply (PROTOCOL.md §10): the one
 * writer, used by the server for the reply and by {@code dflockctl stats --json} to show it again.
 * Fields come in the order of §10; every array is written, {@code signal_channels},
 * {@code watch_channels} and {@code barriers} only when asked for (a server without them omits them);
 * {@code group} only when non-null, a list's {@code pop_waiters} only when not 0 (both as upstream); the {@code cluster}
 * object last, only when the stats have one (a cluster node's), its unknown leader as {@code null}.
 *
 * <p>The text is, once UTF-8 encoded, byte for byte what the server wrote with Jackson 2.18's UTF-8
 * generator before (a server test pins this against that generator):
 * <ul>
 *   <li>strings: {@code "} and {@code \} backslash-escaped; U+0000–U+001F as {@code \b \t \n \f \r}
 *       or <code>&#92;u00XX</code>; each UTF-16 surrogate, so each half of a character beyond the
 *       BMP, as <code>&#92;uXXXX</code> (upper-case hex); every other character as is;</li>
 *   <li>fractional numbers as {@link Double#toString(double)} ({@code 0.0}, {@code 31.52},
 *       {@code 1.0E-4}), a non-finite one as a string ({@code "NaN"}); integers in decimal.</li>
 * </ul>
 * As surrogates are escaped, {@code getBytes(UTF_8)} of the result loses nothing.
 */
public final class StatsWriter {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private StatsWriter() {
    }

    /**
     * The JSON object of {@code stats}.
     *
     * @param signalChannels whether to write the {@code signal_channels}, {@code watch_channels} and
     *                       {@code barriers} arrays
     */
    public static String write(Stats stats, boolean signalChannels) {
        int entries = stats.locks().size() + stats.semaphores().size() + stats.rwLocks().size() + stats.idleLocks().size()
                + stats.idleSemaphores().size() + stats.counters().size() + stats.kvEntries().size()
                + stats.lists().size() + stats.signalChannels().size() + stats.watchChannels().size()
                + stats.barriers().size();
        StringBuilder out = new StringBuilder(128 + 96 * entries).append('{');
        writeMembers(out, stats, signalChannels);
        return out.append('}').toString();
    }

    /**
     * Appends the members of the object without its braces ({@code "connections":3,"locks":[…],…}),
     * for a caller that puts more fields around them.
     *
     * @param signalChannels whether to write the {@code signal_channels}, {@code watch_channels} and
     *                       {@code barriers} arrays
     */
    public static void writeMembers(StringBuilder out, Stats stats, boolean signalChannels) {
        out.append("\"connections\":").append(stats.connections());
        array(out, "locks", stats.locks(), (o, l) -> {
            writeString(o.append("\"key\":"), l.key());
            o.append(",\"owner_conn_id\":").append(l.ownerConnId()).append(",\"lease_expires_in_s\":");
            number(o, l.leaseExpiresInS());
            o.append(",\"waiters\":").append(l.waiters());
        });
        array(out, "semaphores", stats.semaphores(), (o, m) -> {
            writeString(o.append("\"key\":"), m.key());
            o.append(",\"limit\":").append(m.limit()).append(",\"holders\":").append(m.holders())
                    .append(",\"waiters\":").append(m.waiters());
        });
        array(out, "rw_locks", stats.rwLocks(), (o, rw) -> {
            writeString(o.append("\"key\":"), rw.key());
            o.append(",\"readers\":").append(rw.readers()).append(",\"writer\":").append(rw.writer())
                    .append(",\"waiters\":").append(rw.waiters());
        });
        array(out, "idle_locks", stats.idleLocks(), StatsWriter::idle);
        array(out, "idle_semaphores", stats.idleSemaphores(), StatsWriter::idle);
        array(out, "counters", stats.counters(), (o, c) -> {
            writeString(o.append("\"key\":"), c.key());
            o.append(",\"value\":").append(c.value());
            number(o.append(",\"idle_s\":"), c.idleS());
        });
        array(out, "kv_entries", stats.kvEntries(), (o, e) -> {
            writeString(o.append("\"key\":"), e.key());
            o.append(",\"value_len\":").append(e.valueLen());
            number(o.append(",\"ttl\":"), e.ttlS());
            number(o.append(",\"idle_s\":"), e.idleS());
        });
        array(out, "lists", stats.lists(), (o, l) -> {
            writeString(o.append("\"key\":"), l.key());
            o.append(",\"len\":").append(l.len());
            if (l.popWaiters() != 0) {
                o.append(",\"pop_waiters\":").append(l.popWaiters());
            }
            number(o.append(",\"idle_s\":"), l.idleS());
        });
        if (signalChannels) {
            array(out, "signal_channels", stats.signalChannels(), (o, c) -> {
                writeString(o.append("\"pattern\":"), c.pattern());
                if (c.group() != null) {
                    writeString(o.append(",\"group\":"), c.group());
                }
                o.append(",\"listeners\":").append(c.listeners());
            });
            array(out, "watch_channels", stats.watchChannels(), (o, w) -> {
                writeString(o.append("\"pattern\":"), w.pattern());
                o.append(",\"watchers\":").append(w.watchers());
            });
            array(out, "barriers", stats.barriers(), (o, b) -> {
                writeString(o.append("\"key\":"), b.key());
                o.append(",\"count\":").append(b.count()).append(",\"participants\":").append(b.participants())
                        .append(",\"idle_s\":");
                number(o, b.idleS());
            });
        }
        if (stats.cluster() != null) {
            cluster(out, stats.cluster());
        }
    }

    /** {@code ,"cluster":{…}}. */
    private static void cluster(StringBuilder out, Stats.ClusterStat c) {
        writeString(out.append(",\"cluster\":{\"node_id\":"), c.nodeId());
        writeString(out.append(",\"role\":"), c.role());
        out.append(",\"term\":").append(c.term());
        writeString(out.append(",\"leader_id\":"), c.leaderId());
        writeString(out.append(",\"leader_addr\":"), c.leaderAddr());
        out.append(",\"commit_index\":").append(c.commitIndex())
                .append(",\"applied_index\":").append(c.appliedIndex())
                .append(",\"snapshot_index\":").append(c.snapshotIndex());
        writeString(out.append(",\"follower_mode\":"), c.followerMode());
        array(out, "voters", c.voters(), (o, v) -> {
            writeString(o.append("\"id\":"), v.id());
            writeString(o.append(",\"raft_addr\":"), v.raftAddr());
            writeString(o.append(",\"client_addr\":"), v.clientAddr());
        });
        out.append('}');
    }

    /** Appends {@code s} as a JSON string, escaped as described above; {@code null} as {@code null}. */
    public static void writeString(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void idle(StringBuilder out, Stats.IdleStat i) {
        writeString(out.append("\"key\":"), i.key());
        out.append(",\"idle_s\":");
        number(out, i.idleS());
    }

    private static void number(StringBuilder out, double d) {
        String text = Double.toString(d);
        if (Double.isFinite(d)) {
            out.append(text);
        } else {
            out.append('"').append(text).append('"');
        }
    }

    /** {@code ,"name":[{…},{…}]}: each element's members written by {@code members}. */
    private static <T> void array(StringBuilder out, String name, List<T> items,
            BiConsumer<StringBuilder, T> members) {
        out.append(",\"").append(name).append("\":[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('{');
            members.accept(out, items.get(i));
            out.append('}');
        }
        out.append(']');
    }
}
