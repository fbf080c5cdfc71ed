package dev.ringlog;

import java.time.Duration;
import java.util.Objects;

/**
 * When the journal forces what it wrote to the storage device ({@code FileChannel.force}).
 *
 * <p>Whatever the policy, a record is handed to the operating system before the sink sees its event,
 * so every journalled event survives a kill of the process (the page cache outlives it). What the
 * policies change is what survives a power loss or a kernel crash:
 * <ul>
 *   <li>{@link #NONE}: nothing is promised; the operating system writes back when it likes.</li>
 *   <li>{@link #every(Duration)}: at most the last period's records are lost; the sink is not held
 *       back by the sync.</li>
 *   <li>{@link #PER_BATCH} (the default): a record is synced before its event reaches the sink (and
 *       before a journal-acknowledged {@code publishDurable} completes); one sync per batch the
 *       journal thread writes, so batches grow under load like the sink's.</li>
 * </ul>
 */
public final class SyncPolicy {

    /** Never sync: survives a process kill, not a power loss. */
    public static final SyncPolicy NONE = new SyncPolicy(-1, "none");

    /** Sync each batch before the sink sees it. */
    public static final SyncPolicy PER_BATCH = new SyncPolicy(0, "batch");

    /** The range of {@link #every}, of {@code ringlog.journal.sync} as well. */
    static final Duration MIN_PERIOD = Duration.ofMillis(1);
    static final Duration MAX_PERIOD = Duration.ofMinutes(1);

    private final long periodNanos;
    private final String text;

    private SyncPolicy(long periodNanos, String text) {
        this.periodNanos = periodNanos;
        this.text = text;
    }

    /**
     * Sync at most {@code period} after a record was written, in [1ms, 1m].
     *
     * @throws IllegalArgumentException if {@code period} is out of range
     */
    public static SyncPolicy every(Duration period) {
        Objects.requireNonNull(period, "period");
        Settings.checkDuration("journal sync period", period, MIN_PERIOD, MAX_PERIOD);
        return new SyncPolicy(period.toNanos(), Settings.format(period));
    }

    /** -1 for {@link #NONE}, 0 for {@link #PER_BATCH}, else the longest time a record waits for a sync. */
    long periodNanos() {
        return periodNanos;
    }

    /** The {@code ringlog.journal.sync} value: {@code none}, {@code batch} or a period such as {@code 100ms}. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncPolicy other && other.periodNanos == periodNanos;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(periodNanos);
    }
}
