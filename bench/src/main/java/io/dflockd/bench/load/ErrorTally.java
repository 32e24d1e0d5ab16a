package io.dflockd.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counts failed operations across workers and keeps the first message, for the report. */
public final class ErrorTally {
    private final AtomicLong count = new AtomicLong();
    private final AtomicReference<String> first = new AtomicReference<>();

    public void add(String what, Throwable cause) {
        count.incrementAndGet();
        first.compareAndSet(null, what + ": " + cause);
    }

    public void add(String message) {
        count.incrementAndGet();
        first.compareAndSet(null, message);
    }

    public long count() {
        return count.get();
    }

    public String first() {
        return first.get();
    }
}
