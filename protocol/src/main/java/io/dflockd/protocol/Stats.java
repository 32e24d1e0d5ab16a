package io.dflockd.protocol;

import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a server's state, the typed form of the {@code stats} reply (PROTOCOL.md §10): what
 * the server builds and renders with {@link StatsWriter}, and what clients get back from
 * {@link #parse}. Unknown JSON fields are ignored; missing arrays are empty (servers without signals
 * send no {@code signal_channels}).
 *
 * @param connections open connections, including the one that asked
 * @param locks lock resources (limit 1) with a holder or a waiter
 * @param semaphores semaphore resources (limit &gt; 1) with a holder or a waiter
 * @param rwLocks read-write lock resources with a holder or a waiter (PROTOCOL.md §6.14)
 * @param idleLocks unused lock resources waiting for garbage collection
 * @param idleSemaphores unused semaphore resources waiting for garbage collection
 * @param counters the counters (PROTOCOL.md §6.16)
 * @param kvEntries the key-value entries (§6.17)
 * @param lists the lists (§6.18), with their waiting blocking pops
 * @param signalChannels signal subscriptions: one per exact channel, wildcard pattern, or
 *     (pattern, group)
 * @param watchChannels key watches (PROTOCOL.md §6.19): one per watched pattern
 * @param barriers barriers still filling (§6.20)
 * @param cluster the node's view of its cluster, or {@code null} from a standalone server (which
 *     sends no {@code cluster} object)
 */
public record Stats(long connections, List<LockStat> locks, List<SemaphoreStat> semaphores,
        List<RwLockStat> rwLocks, List<IdleStat> idleLocks, List<IdleStat> idleSemaphores,
        List<CounterStat> counters, List<KvEntryStat> kvEntries, List<ListStat> lists,
        List<SignalChannelStat> signalChannels, List<WatchChannelStat> watchChannels, List<BarrierStat> barriers,
        ClusterStat cluster) {

    /** Copies the lists, so a {@code Stats} is immutable. */
    public Stats {
        locks = List.copyOf(locks);
        semaphores = List.copyOf(semaphores);
        rwLocks = List.copyOf(rwLocks);
        idleLocks = List.copyOf(idleLocks);
        idleSemaphores = List.copyOf(idleSemaphores);
        counters = List.copyOf(counters);
        kvEntries = List.copyOf(kvEntries);
        lists = List.copyOf(lists);
        signalChannels = List.copyOf(signalChannels);
        watchChannels = List.copyOf(watchChannels);
        barriers = List.copyOf(barriers);
    }

    /** Stats without counters, entries, lists, watches and barriers. */
    public Stats(long connections, List<LockStat> locks, List<SemaphoreStat> semaphores,
            List<RwLockStat> rwLocks, List<IdleStat> idleLocks, List<IdleStat> idleSemaphores,
            List<SignalChannelStat> signalChannels, ClusterStat cluster) {
        this(connections, locks, semaphores, rwLocks, idleLocks, idleSemaphores, List.of(), List.of(), List.of(),
                signalChannels, List.of(), List.of(), cluster);
    }

    /** Stats without read-write locks. */
    public Stats(long connections, List<LockStat> locks, List<SemaphoreStat> semaphores,
            List<IdleStat> idleLocks, List<IdleStat> idleSemaphores, List<SignalChannelStat> signalChannels,
            ClusterStat cluster) {
        this(connections, locks, semaphores, List.of(), idleLocks, idleSemaphores, signalChannels, cluster);
    }

    /** The stats of a standalone server without read-write locks: no {@code cluster} object. */
    public Stats(long connections, List<LockStat> locks, List<SemaphoreStat> semaphores,
            List<IdleStat> idleLocks, List<IdleStat> idleSemaphores, List<SignalChannelStat> signalChannels) {
        this(connections, locks, semaphores, idleLocks, idleSemaphores, signalChannels, null);
    }

    /** The active lock of {@code key}, if it has a holder or waiters. */
    public Optional<LockStat> lock(String key) {
        return locks.stream().filter(l -> l.key().equals(key)).findFirst();
    }

    /** The active semaphore of {@code key}, if it has holders or waiters. */
    public Optional<SemaphoreStat> semaphore(String key) {
        return semaphores.stream().filter(l -> l.key().equals(key)).findFirst();
    }

    /** The active read-write lock of {@code key}, if it has holders or waiters. */
    public Optional<RwLockStat> rwLock(String key) {
        return rwLocks.stream().filter(l -> l.key().equals(key)).findFirst();
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
     * A read-write lock with holders or waiters (upstream redis-feats' {@code rw_locks} entry, without
     * its {@code fence}: our fence is in the token, PROTOCOL.md §8.6).
     *
     * @param key the key
     * @param readers current read holders
     * @param writer whether a writer holds it (then {@code readers} is 0)
     * @param waiters queued requests, readers and writers
     */
    public record RwLockStat(String key, int readers, boolean writer, int waiters) {
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
     * A counter (PROTOCOL.md §6.16).
     *
     * @param key the key
     * @param value its value
     * @param idleS seconds since its last activity
     */
    public record CounterStat(String key, long value, double idleS) {
    }

    /**
     * A key-value entry (PROTOCOL.md §6.17).
     *
     * @param key the key
     * @param valueLen the value's length in bytes
     * @param ttlS seconds until it expires, 0 for an entry without TTL
     * @param idleS seconds since its last activity
     */
    public record KvEntryStat(String key, int valueLen, double ttlS, double idleS) {
    }

    /**
     * A list (PROTOCOL.md §6.18).
     *
     * @param key the key
     * @param len its items
     * @param popWaiters blocking pops waiting for an item
     * @param idleS seconds since its last activity
     */
    public record ListStat(String key, int len, int popWaiters, double idleS) {
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

    /**
     * A watched key pattern (PROTOCOL.md §6.19).
     *
     * @param pattern the key or wildcard pattern
     * @param watchers connections watching it
     */
    public record WatchChannelStat(String pattern, int watchers) {
    }

    /**
     * A barrier still filling (PROTOCOL.md §6.20).
     *
     * @param key the key
     * @param count the parties it waits for
     * @param participants the parties waiting at it now
     * @param idleS seconds since the last party arrived
     */
    public record BarrierStat(String key, int count, int participants, double idleS) {
    }

    /**
     * A cluster node's view of its Raft group (PROTOCOL.md §10, cluster mode only).
     *
     * @param nodeId this node's id ({@code --node-id})
     * @param role this node's Raft role: {@code leader}, {@code follower}, {@code candidate} or
     *     {@code listener}
     * @param term the current Raft term
     * @param leaderId the leader's node id, or {@code null} while no leader is known
     * @param leaderAddr the leader's client address ({@code host:port} from {@code --cluster-peers}),
     *     or {@code null} while no leader is known
     * @param commitIndex the highest log index this node knows to be committed
     * @param appliedIndex the highest log index this node has applied to its lock state
     * @param snapshotIndex the log index of this node's newest snapshot (0 before the first)
     * @param followerMode {@code forward} or {@code redirect} ({@code --follower-mode}), or {@code null}
     *     from a server that does not say
     * @param voters the voting members of the current configuration
     */
    public record ClusterStat(String nodeId, String role, long term, String leaderId, String leaderAddr,
            long commitIndex, long appliedIndex, long snapshotIndex, String followerMode, List<VoterStat> voters) {
        /** Copies the list, so a {@code ClusterStat} is immutable. */
        public ClusterStat {
            voters = List.copyOf(voters);
        }
    }

    /**
     * A voting member of the cluster.
     *
     * @param id its node id
     * @param raftAddr where its Raft port listens ({@code host:port})
     * @param clientAddr where clients reach it ({@code host:port}), or {@code null} if this node does
     *     not know
     */
    public record VoterStat(String id, String raftAddr, String clientAddr) {
    }

    /**
     * Parses the JSON after {@code "ok "} of a {@code stats} reply.
     *
     * @throws IllegalArgumentException if it is not JSON, not an object, or a known field has the
     *     wrong type (the message says which)
     */
    public static Stats parse(String json) {
        return StatsReader.read(json);
    }

    /**
     * This snapshot as the one-line JSON object of the {@code stats} reply, {@code signal_channels}
     * included, and {@code cluster} when there is one.
     */
    public String toJson() {
        return StatsWriter.write(this, true);
    }
}
