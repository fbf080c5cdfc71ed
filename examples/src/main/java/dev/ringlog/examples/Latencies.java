package dev.ringlog.examples;

import java.util.Arrays;

/** Request latencies in nanoseconds, one slot per request, written by many threads (each its own slots). */
final class Latencies {

    private final long[] nanos;

    Latencies(int count) {
        nanos = new long[count];
    }

    void record(int request, long latencyNanos) {
        nanos[request] = latencyNanos;
    }

    /** p50, p99 and max in milliseconds. */
    double[] summaryMillis() {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new double[] {percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6};
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }
}
