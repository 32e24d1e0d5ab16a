package io.dflockd.server;

import io.dflockd.protocol.Stats;
import io.dflockd.protocol.StatsWriter;
import io.dflockd.server.cluster.ClusterStatus;
import io.dflockd.server.data.BarrierSnapshot;
import io.dflockd.server.data.DataStats;
import io.dflockd.server.data.DataStore;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.signal.ChannelStat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code stats} reply body (PROTOCOL.md §10): the server's snapshots as the protocol's
 * {@link Stats}, rendered by its {@link StatsWriter} as one line, resources classified by type and
 * limit (1 = lock), the data store's counters, entries and lists, and a cluster node's {@code cluster} object.
 */
final class ServerStats {
    private static final double NANOS_PER_SECOND = 1e9;

    private ServerStats() {
    }

    /**
     * The UTF-8 JSON of the reply.
     *
     * @param data     the counters, entries and lists, and the barriers (in cluster mode the replica's)
     * @param channels the {@code signal_channels} entries, or {@code null} to omit the field (and
     *                 {@code watch_channels} and {@code barriers} with it)
     * @param watches  the {@code watch_channels} entries: a pattern and its watchers each
     * @param cluster  a cluster node's status, or {@code null} (standalone) to omit the field
     */
    static byte[] render(int connections, List<ResourceSnapshot> resources, DataStore data,
            List<ChannelStat> channels, List<ChannelStat> watches, ClusterStatus cluster) {
        return StatsWriter.write(of(connections, resources, data, channels, watches, cluster), channels != null)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Stats of(int connections, List<ResourceSnapshot> resources, DataStore data,
            List<ChannelStat> channels, List<ChannelStat> watches, ClusterStatus cluster) {
        List<Stats.LockStat> locks = new ArrayList<>();
        List<Stats.SemaphoreStat> semaphores = new ArrayList<>();
        List<Stats.RwLockStat> rwLocks = new ArrayList<>();
        List<Stats.IdleStat> idleLocks = new ArrayList<>();
        List<Stats.IdleStat> idleSemaphores = new ArrayList<>();
        for (ResourceSnapshot r : resources) {
            String key = text(r.key());
            if (r.readWrite()) {
                if (r.active()) { // an idle read-write lock is not listed, as upstream (PROTOCOL.md §10)
                    rwLocks.add(new Stats.RwLockStat(key, r.readers(), r.writer(), r.waiters()));
                }
            } else if (r.active() && r.limit() == 1) {
                locks.add(new Stats.LockStat(key, r.ownerConnId(), r.leaseLeftNanos() / NANOS_PER_SECOND,
                        r.waiters()));
            } else if (r.active()) {
                semaphores.add(new Stats.SemaphoreStat(key, r.limit(), r.holders(), r.waiters()));
            } else {
                (r.limit() == 1 ? idleLocks : idleSemaphores).add(new Stats.IdleStat(key,
                        r.idleNanos() / NANOS_PER_SECOND));
            }
        }
        List<Stats.SignalChannelStat> signalChannels = new ArrayList<>();
        if (channels != null) {
            for (ChannelStat c : channels) {
                signalChannels.add(new Stats.SignalChannelStat(text(c.pattern()),
                        c.group() == null ? null : text(c.group()), c.listeners()));
            }
        }
        List<Stats.WatchChannelStat> watchChannels = new ArrayList<>();
        for (ChannelStat w : watches) {
            watchChannels.add(new Stats.WatchChannelStat(text(w.pattern()), w.listeners()));
        }
        return new Stats(connections, locks, semaphores, rwLocks, idleLocks, idleSemaphores, counters(data),
                entries(data), lists(data), signalChannels, watchChannels, barriers(data),
                cluster == null ? null : clusterStat(cluster));
    }

    private static List<Stats.BarrierStat> barriers(DataStore data) {
        List<Stats.BarrierStat> out = new ArrayList<>();
        for (BarrierSnapshot b : data.barriers().snapshot()) {
            out.add(new Stats.BarrierStat(text(b.key()), b.count(), b.participants(), b.idleNanos() / NANOS_PER_SECOND));
        }
        return out;
    }

    private static List<Stats.CounterStat> counters(DataStore data) {
        List<Stats.CounterStat> out = new ArrayList<>();
        for (DataStats.CounterStat c : data.counterStats()) {
            out.add(new Stats.CounterStat(text(c.key()), c.value(), c.idleNanos() / NANOS_PER_SECOND));
        }
        return out;
    }

    private static List<Stats.KvEntryStat> entries(DataStore data) {
        List<Stats.KvEntryStat> out = new ArrayList<>();
        for (DataStats.EntryStat e : data.entryStats()) {
            out.add(new Stats.KvEntryStat(text(e.key()), e.valueLength(), e.ttlLeftNanos() / NANOS_PER_SECOND,
                    e.idleNanos() / NANOS_PER_SECOND));
        }
        return out;
    }

    private static List<Stats.ListStat> lists(DataStore data) {
        List<Stats.ListStat> out = new ArrayList<>();
        for (DataStats.ListStat l : data.listStats()) {
            out.add(new Stats.ListStat(text(l.key()), l.length(), l.popWaiters(), l.idleNanos() / NANOS_PER_SECOND));
        }
        return out;
    }

    private static Stats.ClusterStat clusterStat(ClusterStatus c) {
        List<Stats.VoterStat> voters = new ArrayList<>();
        for (ClusterStatus.Voter v : c.voters()) {
            voters.add(new Stats.VoterStat(v.id(), v.raftAddress(), v.clientAddress()));
        }
        return new Stats.ClusterStat(c.nodeId(), c.role(), c.term(), c.leaderId(), c.leaderAddress(),
                c.commitIndex(), c.appliedIndex(), c.snapshotIndex(), c.followerMode(), voters);
    }

    /** Wire strings are byte-exact Latin-1; JSON shows them as the UTF-8 text clients sent. */
    private static String text(String wire) {
        return new String(wire.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
