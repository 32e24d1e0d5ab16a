package io.dflockd.bench.report;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A latency histogram in nanoseconds, one per worker thread (HdrHistogram is not thread-safe),
 * merged into the run's total at the end. Range 1 µs resolution up to one hour, 3 significant
 * digits.
 */
public final class Latency {
    private static final long MAX_NANOS = TimeUnit.HOURS.toNanos(1);

    private final Histogram histogram = new Histogram(MAX_NANOS, 3);

    /** Records one observation; values outside the range are clamped, never dropped. */
    public void record(long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos, MAX_NANOS)));
    }

    /** Adds another worker's observations. */
    public synchronized void merge(Latency other) {
        histogram.add(other.histogram);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** Value at {@code percentile} (0–100) in nanoseconds. */
    public long percentileNanos(double percentile) {
        return histogram.getValueAtPercentile(percentile);
    }

    public long maxNanos() {
        return histogram.getMaxValue();
    }

    public double meanNanos() {
        return histogram.getMean();
    }
}
