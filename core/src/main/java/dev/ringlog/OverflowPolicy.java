package dev.ringlog;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@code publish} does when the ring is full because the sink is slower than the producers.
 *
 * <ul>
 *   <li>{@link #DROP} (the default): return {@code false} at once and count a drop; the request
 *       thread never waits.</li>
 *   <li>{@link #BLOCK}: wait until a slot frees up or the log closes.</li>
 *   <li>{@link #blockFor(Duration)}: wait up to a bound, then drop.</li>
 * </ul>
 *
 * <p>Whatever the policy, a publish from the sink thread itself (a sink or dead-letter handler that
 * logs through the same log) never waits: waiting for a slot that only that thread can free would
 * deadlock, so it drops instead.
 */
public final class OverflowPolicy {

    /** Drop the event, return {@code false}. */
    public static final OverflowPolicy DROP = new OverflowPolicy(0, "drop");

    /** Wait for a free slot for as long as it takes (until the log closes). */
    public static final OverflowPolicy BLOCK = new OverflowPolicy(Long.MAX_VALUE, "block");

    private final long maxWaitNanos;
    private final String text;

    private OverflowPolicy(long maxWaitNanos, String text) {
        this.maxWaitNanos = maxWaitNanos;
        this.text = text;
    }

    /**
     * Wait up to {@code maxWait} for a free slot, then drop.
     *
     * @throws IllegalArgumentException if {@code maxWait} is negative
     */
    public static OverflowPolicy blockFor(Duration maxWait) {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("overflow wait must be >= 0: blockFor(" + maxWait + ")");
        }
        long nanos = Settings.saturatedNanos(maxWait);
        return nanos == 0 ? DROP : new OverflowPolicy(nanos, "block:" + Settings.format(maxWait));
    }

    /** How long a publish may wait for a slot: 0 for {@link #DROP}, {@code Long.MAX_VALUE} for {@link #BLOCK}. */
    long maxWaitNanos() {
        return maxWaitNanos;
    }

    /** The {@code ringlog.overflow} value: {@code drop}, {@code block} or {@code block:2s}. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OverflowPolicy other && other.maxWaitNanos == maxWaitNanos;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(maxWaitNanos);
    }
}
