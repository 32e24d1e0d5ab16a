package io.dflockd.server.signal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test double: records queued frames and eviction requests. Its pending queue holds at most
 * {@code capacity} frames (nothing drains it), so a capacity of 0 is a permanently full consumer.
 * Thread-safe, because publishers call it concurrently.
 */
final class FakeSubscriber implements Subscriber {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final String name;
    private final int capacity;
    private final List<byte[]> frames = new ArrayList<>();
    private final List<String> evictions = new CopyOnWriteArrayList<>();
    private int offers;

    FakeSubscriber(String name) {
        this(name, Integer.MAX_VALUE);
    }

    FakeSubscriber(String name, int capacity) {
        this.name = name;
        this.capacity = capacity;
    }

    static FakeSubscriber full(String name) {
        return new FakeSubscriber(name, 0);
    }

    @Override
    public long connectionId() {
        return id;
    }

    @Override
    public synchronized boolean offer(byte[] frame) {
        offers++;
        if (frames.size() >= capacity) {
            return false;
        }
        frames.add(frame);
        return true;
    }

    @Override
    public void evict(String reason) {
        evictions.add(reason);
    }

    synchronized List<byte[]> frames() {
        return new ArrayList<>(frames);
    }

    /** Frames decoded as Latin-1, so each char is one byte of the wire line. */
    synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        for (byte[] f : frames) {
            out.add(new String(f, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    synchronized int received() {
        return frames.size();
    }

    synchronized int offers() {
        return offers;
    }

    synchronized void clear() {
        frames.clear();
        offers = 0;
    }

    List<String> evictions() {
        return List.copyOf(evictions);
    }

    @Override
    public String toString() {
        return name;
    }
}
