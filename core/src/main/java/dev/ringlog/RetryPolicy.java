package dev.ringlog;

import java.time.Duration;
import java.util.Objects;

/**
 * How the sink thread retries a batch after a retryable failure ({@link Sink#isRetryable}): it waits
 * {@code initial}, then twice as long after each further failure, never more than {@code max}, and
 * re-delivers the same events in the same order. Unlimited attempts by default: while the store is
 * down, events wait in the ring and the {@link OverflowPolicy} decides what happens when it fills.
 */
public final class RetryPolicy {

    private final long initialNanos;
    private final long maxNanos;
    private final int maxAttempts;

    private RetryPolicy(long initialNanos, long maxNanos, int maxAttempts) {
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Exponential backoff from {@code initial} to {@code max}, unlimited attempts.
     *
     * @throws IllegalArgumentException unless {@code 0 < initial <= max}
     */
    public static RetryPolicy backoff(Duration initial, Duration max) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry backoff must satisfy 0 < initial <= max: initial="
                    + Settings.format(initial) + ", max=" + Settings.format(max));
        }
        return new RetryPolicy(Settings.saturatedNanos(initial), Settings.saturatedNanos(max), Integer.MAX_VALUE);
    }

    /**
     * The same backoff, giving up after {@code attempts} deliveries of a batch in all (1: never
     * retry). The events of a batch given up on go to the dead-letter handler with the last failure.
     *
     * @throws IllegalArgumentException unless {@code attempts >= 1}
     */
    public RetryPolicy maxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("retry maxAttempts must be >= 1: maxAttempts=" + attempts);
        }
        return new RetryPolicy(initialNanos, maxNanos, attempts);
    }

    /** Whether a batch that has failed {@code failures} times may be delivered again. */
    boolean allowsAnother(int failures) {
        return failures < maxAttempts;
    }

    /** The wait before the next delivery, after {@code failures} (>= 1) failures in a row. */
    long delayNanos(int failures) {
        int doublings = Math.min(failures - 1, 62);
        long delay = initialNanos << doublings;
        return (delay >>> doublings) != initialNanos || delay > maxNanos ? maxNanos : delay;
    }

    @Override
    public String toString() {
        return "backoff(" + Duration.ofNanos(initialNanos) + ", " + Duration.ofNanos(maxNanos) + ")"
                + (maxAttempts == Integer.MAX_VALUE ? "" : ".maxAttempts(" + maxAttempts + ")");
    }
}
