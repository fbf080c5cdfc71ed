package dev.ringlog;

/**
 * A running summary of values recorded on the sink thread: batch sizes in events, commit times in
 * nanoseconds. Cumulative since the log started, like a Micrometer {@code FunctionTimer}.
 *
 * @param count values recorded
 * @param total their sum
 * @param max the largest value recorded
 */
public record Distribution(long count, long total, long max) {

    /** This and {@code other} together: counts and totals added, the larger max. */
    Distribution plus(Distribution other) {
        return new Distribution(count + other.count, total + other.total, Math.max(max, other.max));
    }

    /** The mean, or 0 when nothing was recorded. */
    public double mean() {
        return count == 0 ? 0 : (double) total / count;
    }
}
