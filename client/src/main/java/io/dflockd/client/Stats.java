package io.dflockd.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A snapshot of a server's state, the typed form of the {@code stats} reply (PROTOCOL.md §10).
 * Unknown JSON fields are ignored; missing arrays are empty (servers without signals send no
 * {@code signal_channels}).
 *
 * @param connections open connections, including the one that asked
 * @param locks lock resources (limit 1) with a holder or a waiter
 * @param semaphores semaphore resources (limit &gt; 1) with a holder or a waiter
 * @param idleLocks unused lock resources waiting for garbage collection
 * @param idleSemaphores unused semaphore resources waiting for garbage collection
 * @param signalChannels signal subscriptions: one per exact channel, wildcard pattern, or
 *     (pattern, group)
 */
public record Stats(long connections, List<LockStat> locks, List<SemaphoreStat> semaphores,
        List<IdleStat> idleLocks, List<IdleStat> idleSemaphores, List<SignalChannelStat> signalChannels) {

    /** Copies the lists, so a {@code Stats} is immutable. */
    public Stats {
        locks = List.copyOf(locks);
        semaphores = List.copyOf(semaphores);
        idleLocks = List.copyOf(idleLocks);
        idleSemaphores = List.copyOf(idleSemaphores);
        signalChannels = List.copyOf(signalChannels);
    }

    /** The active lock of {@code key}, if it has a holder or waiters. */
    public Optional<LockStat> lock(String key) {
        return locks.stream().filter(l -> l.key().equals(key)).findFirst();
    }

    /** The active semaphore of {@code key}, if it has holders or waiters. */
    public Optional<SemaphoreStat> semaphore(String key) {
        return semaphores.stream().filter(l -> l.key().equals(key)).findFirst();
    }

    /**
     * A held or contended lock.
     *
     * @param key the key
     * @param ownerConnId server connection id of the holder, 0 if only waiters exist
     * @param leaseExpiresInS seconds until the holder's lease expires, 0 if no holder
     * @param waiters queued waiters
     */
    public record LockStat(String key, long ownerConnId, double leaseExpiresInS, int waiters) {
    }

    /**
     * A semaphore with holders or waiters.
     *
     * @param key the key
     * @param limit the fixed limit
     * @param holders current holders
     * @param waiters queued waiters
     */
    public record SemaphoreStat(String key, int limit, int holders, int waiters) {
    }

    /**
     * An unused resource that the server will garbage-collect.
     *
     * @param key the key
     * @param idleS seconds since its last activity
     */
    public record IdleStat(String key, double idleS) {
    }

    /**
     * A signal subscription entry.
     *
     * @param pattern the channel or wildcard pattern
     * @param group the queue group, or {@code null} for ungrouped listeners
     * @param listeners subscribed connections (group members for a group)
     */
    public record SignalChannelStat(String pattern, String group, int listeners) {
    }

    /** Parses the JSON after {@code "ok "}; throws {@link IllegalArgumentException} on bad input. */
    static Stats parse(String json) {
        Object root = Json.parse(json);
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
                list(m, "idle_locks", o -> new IdleStat(str(o, "key"), num(o, "idle_s"))),
                list(m, "idle_semaphores", o -> new IdleStat(str(o, "key"), num(o, "idle_s"))),
                list(m, "signal_channels", o -> new SignalChannelStat(str(o, "pattern"),
                        o.get("group") == null ? null : str(o, "group"), intField(o, "listeners"))));
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

    private static int intField(Map<?, ?> m, String name) {
        long v = longField(m, name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("stats field '" + name + "' out of range");
        }
        return (int) v;
    }
}
