package io.jk8s.bench;

import java.util.Arrays;

/** Latencies of one benchmark point, recorded per thread without locks and merged at the end. */
final class Latencies {

    private long[] nanos = new long[1024];
    private int size;

    void record(long elapsedNanos) {
        if (size == nanos.length) nanos = Arrays.copyOf(nanos, size * 2);
        nanos[size++] = elapsedNanos;
    }

    int count() {
        return size;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        Latencies all = new Latencies();
        for (Latencies p : parts) {
            for (int i = 0; i < p.size; i++) all.record(p.nanos[i]);
        }
        Arrays.sort(all.nanos, 0, all.size);
        return all;
    }

    /** Milliseconds at percentile {@code p} (0–100) of a merged, sorted set. */
    double percentileMillis(double p) {
        if (size == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * size) - 1;
        return nanos[Math.max(0, Math.min(size - 1, i))] / 1e6;
    }
}
