package dev.ringlog;

/**
 * Lets a repeated message through at most once per interval. Used by one thread at a time (the sink
 * thread, or a sync publisher holding the log's lock); never on the publish path.
 */
final class RateLimit {

    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private long next = Long.MIN_VALUE;
    private long suppressed;

    /** Whether to log now; if not, the message is counted in {@link #suppressed()}. */
    boolean allow(long nowNanos) {
        if (next != Long.MIN_VALUE && nowNanos - next < 0) {
            suppressed++;
            return false;
        }
        next = nowNanos + INTERVAL_NANOS;
        return true;
    }

    /** Messages held back since the last one let through; reading resets the count. */
    long suppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }
}
