package io.dflockd.protocol;

import io.dflockd.protocol.Stats.BarrierStat;
import io.dflockd.protocol.Stats.ClusterStat;
import io.dflockd.protocol.Stats.CounterStat;
import io.dflockd.protocol.Stats.IdleStat;
import io.dflockd.protocol.Stats.KvEntryStat;
import io.dflockd.protocol.Stats.ListStat;
import io.dflockd.protocol.Stats.LockStat;
import io.dflockd.protocol.Stats.RwLockStat;
import io.dflockd.protocol.Stats.SemaphoreStat;
import io.dflockd.protocol.Stats.SignalChannelStat;
import io.dflockd.protocol.Stats.VoterStat;
import io.dflockd.protocol.Stats.WatchChannelStat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code stats} JSON (PROTOCOL.md §10) into a {@link Stats}: the one reader, behind
 * {@link Stats#parse}. Unknown fields are ignored, missing arrays are empty, a missing number is 0,
 * a missing {@code cluster} object is {@code null} (a standalone server's); a known field of the
 * wrong type is an {@link IllegalArgumentException} that names it.
 */
final class StatsReader {
    private StatsReader() {
    }

    static Stats read(String json) {
        Object root = JsonReader.parse(json);
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException("stats reply is not a JSON object");
        }
        Map<?, ?> m = (Map<?, ?>) root;
        return new Stats(
                longField(m, "connections"),
                list(m, "locks", o -> new LockStat(str(o, "key"), longField(o, "owner_conn_id"),
                        num(o, "lease_expires_in_s"), intField(o, "waiters"))),
                list(m, "semaphores", o -> new SemaphoreStat(str(o, "key"), intField(o, "limit"),
                        intField(o, "holders"), intField(o, "waiters"))),
                list(m, "rw_locks", o -> new RwLockStat(str(o, "key"), intField(o, "readers"),
                        bool(o, "writer"), intField(o, "waiters"))),
                list(m, "idle_locks", o -> new IdleStat(str(o, "key"), num(o, "idle_s"))),
                list(m, "idle_semaphores", o -> new IdleStat(str(o, "key"), num(o, "idle_s"))),
                list(m, "counters", o -> new CounterStat(str(o, "key"), longField(o, "value"), num(o, "idle_s"))),
                list(m, "kv_entries", o -> new KvEntryStat(str(o, "key"), intField(o, "value_len"), num(o, "ttl"),
                        num(o, "idle_s"))),
                list(m, "lists", o -> new ListStat(str(o, "key"), intField(o, "len"), intField(o, "pop_waiters"),
                        num(o, "idle_s"))),
                list(m, "signal_channels", o -> new SignalChannelStat(str(o, "pattern"),
                        nullableStr(o, "group"), intField(o, "listeners"))),
                list(m, "watch_channels", o -> new WatchChannelStat(str(o, "pattern"), intField(o, "watchers"))),
                list(m, "barriers", o -> new BarrierStat(str(o, "key"), intField(o, "count"),
                        intField(o, "participants"), num(o, "idle_s"))),
                cluster(m.get("cluster")));
    }

    private static ClusterStat cluster(Object v) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("stats field 'cluster' is not an object");
        }
        Map<?, ?> c = (Map<?, ?>) v;
        return new ClusterStat(str(c, "node_id"), str(c, "role"), longField(c, "term"),
                nullableStr(c, "leader_id"), nullableStr(c, "leader_addr"), longField(c, "commit_index"),
                longField(c, "applied_index"), longField(c, "snapshot_index"), nullableStr(c, "follower_mode"),
                list(c, "voters", o -> new VoterStat(str(o, "id"),
                        nullableStr(o, "raft_addr"), nullableStr(o, "client_addr"))));
    }

    private static <T> List<T> list(Map<?, ?> m, String name, Function<Map<?, ?>, T> f) {
        Object v = m.get(name);
        if (v == null) {
            return Collections.emptyList();
        }
        if (!(v instanceof List)) {
            throw new IllegalArgumentException("stats field '" + name + "' is not an array");
        }
        List<T> out = new ArrayList<>();
        for (Object e : (List<?>) v) {
            if (!(e instanceof Map)) {
                throw new IllegalArgumentException("stats field '" + name + "' holds a non-object");
            }
            out.add(f.apply((Map<?, ?>) e));
        }
        return out;
    }

    private static String str(Map<?, ?> m, String name) {
        Object v = m.get(name);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException("stats field '" + name + "' is missing or not a string");
        }
        return (String) v;
    }

    private static String nullableStr(Map<?, ?> m, String name) {
        return m.get(name) == null ? null : str(m, name);
    }

    private static double num(Map<?, ?> m, String name) {
        Object v = m.get(name);
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("stats field '" + name + "' is not a number");
        }
        return ((Number) v).doubleValue();
    }

    private static long longField(Map<?, ?> m, String name) {
        Object v = m.get(name);
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Long)) {
            throw new IllegalArgumentException("stats field '" + name + "' is not an integer");
        }
        return (Long) v;
    }

    private static boolean bool(Map<?, ?> m, String name) {
        Object v = m.get(name);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean)) {
            throw new IllegalArgumentException("stats field '" + name + "' is not a boolean");
        }
        return (Boolean) v;
    }

    private static int intField(Map<?, ?> m, String name) {
        long v = longField(m, name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("stats field '" + name + "' out of range");
        }
        return (int) v;
    }
}
