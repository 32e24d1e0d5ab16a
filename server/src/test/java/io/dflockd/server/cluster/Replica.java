package io.dflockd.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.server.leader.LeaderObservers;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.signal.Subscriber;
import io.dflockd.server.watch.Watchers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A replica with the outcomes it delivered and the leader and watch pushes it made. */
final class Replica {
    /**
     * Every replica's settings: 64 lock keys, 3 waiters per key, 5 s default lease, auto-release on,
     * 7 data keys, 3 items per list.
     */
    static final LockSettings SETTINGS = new LockSettings(64, 3, 5, 0, true, 7, 3);
    /** {@code --orphan-ttl} of every replica: 4 s. */
    static final long ORPHAN_TTL = 4_000_000_000L;

    /** Observes every key of the generated logs (PROTOCOL.md §7.12): pushes are made on every replica. */
    private final LeaderObservers leaders = new LeaderObservers(0);
    /** Watches every key (PROTOCOL.md §9.14): each change is pushed on every replica. */
    private final Watchers watchers = new Watchers(0);
    private final LockEvents events = watchers.watching(leaders.watching(LockEvents.NONE));
    ReplicatedLocks locks = new ReplicatedLocks(SETTINGS, events, ORPHAN_TTL);
    final List<Delivered> out = new ArrayList<>();
    /** The {@code leader <event> <key>} and {@code watch <event> <key>} lines pushed to this replica's observer, in order. */
    final List<String> pushes = new ArrayList<>();

    Replica() {
        Subscriber observer = new Subscriber() {
            @Override
            public long connectionId() {
                return 1;
            }

            @Override
            public boolean offer(byte[] frame) {
                pushes.add(new String(frame, StandardCharsets.ISO_8859_1).stripTrailing());
                return true;
            }

            @Override
            public void evict(String reason) {
                throw new AssertionError("never full");
            }
        };
        for (String key : new String[] {"a", "b", "c", "s", "rw"}) {
            leaders.observe(observer, key, 0, locks.locks());
        }
        watchers.watch(observer, ">", 0);
    }

    void apply(long term, byte[] entry) {
        locks.apply(term, ClusterCodec.decodeEntry(entry), (s, q, o) -> out.add(Delivered.of(s, q, o)));
    }

    byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            locks.writeSnapshot(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces this replica by one read from its own snapshot, as a restarted node would be. */
    void restart() {
        byte[] before = snapshot();
        try {
            locks = ReplicatedLocks.readSnapshot(SETTINGS, events, ORPHAN_TTL,
                    new DataInputStream(new ByteArrayInputStream(before)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(snapshot()).as("a restored replica writes the same bytes").isEqualTo(before);
    }

    List<ResourceSnapshot> state() {
        List<ResourceSnapshot> snap = new ArrayList<>(locks.snapshot());
        snap.sort(Comparator.comparing(ResourceSnapshot::key));
        return snap;
    }

    /** A log entry of {@code commands}, stamped by a leader. */
    static byte[] entry(long stamp, long seed, ClusterCommand... commands) {
        return ClusterCodec.stamp(ClusterCodec.encodeProposal(List.of(commands)), stamp, 1_700_000_000_000_000_000L,
                seed);
    }
}
