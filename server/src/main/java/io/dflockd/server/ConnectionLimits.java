package io.dflockd.server;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control at accept time (PROTOCOL.md §3 step 1): a global cap and a per-IP cap, both 0 for
 * unlimited. A refused socket is closed without a reply. Counts drop when admitted connections close.
 */
final class ConnectionLimits {
    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

    ConnectionLimits(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    /** Counts a new connection in, or returns false (and counts nothing) if a cap is reached. */
    boolean tryAdmit(InetAddress ip) {
        if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
            total.decrementAndGet();
            return false;
        }
        if (maxPerIp > 0 && ip != null) {
            boolean[] admitted = {false};
            perIp.compute(ip, (k, n) -> {
                AtomicInteger c = n == null ? new AtomicInteger() : n;
                if (c.get() < maxPerIp) {
                    c.incrementAndGet();
                    admitted[0] = true;
                }
                return c.get() == 0 ? null : c;
            });
            if (!admitted[0]) {
                total.decrementAndGet();
                return false;
            }
        }
        return true;
    }

    /** Counts an admitted connection out. */
    void release(InetAddress ip) {
        total.decrementAndGet();
        if (maxPerIp > 0 && ip != null) {
            perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() == 0 ? null : n);
        }
    }

    /** Currently admitted connections. */
    int open() {
        return total.get();
    }
}
