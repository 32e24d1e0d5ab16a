package io.dflockd.server.signal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test double of one connection's push queue for single-threaded tests: records the pushed lines,
 * holds at most {@code capacity} of them (0: a permanently full consumer), records evictions and runs
 * {@link #onEvict} on each.
 */
public final class RecordingSubscriber implements Subscriber {
    public final List<String> lines = new ArrayList<>();
    public final List<String> evictions = new ArrayList<>();
    private final int capacity;
    public Runnable onEvict = () -> { };

    public RecordingSubscriber(int capacity) {
        this.capacity = capacity;
    }

    /** A consumer whose queue never fills. */
    public RecordingSubscriber() {
        this(Integer.MAX_VALUE);
    }

    @Override
    public long connectionId() {
        return 1;
    }

    @Override
    public boolean offer(byte[] frame) {
        if (lines.size() >= capacity) {
            return false;
        }
        lines.add(new String(frame, StandardCharsets.ISO_8859_1));
        return true;
    }

    @Override
    public void evict(String reason) {
        evictions.add(reason);
        onEvict.run();
    }

    /** The lines pushed since the last call, without their LF. */
    public List<String> take() {
        List<String> out = new ArrayList<>();
        lines.forEach(l -> out.add(l.substring(0, l.length() - 1)));
        lines.clear();
        return out;
    }
}
