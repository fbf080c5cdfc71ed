package dev.ringlog;

/**
 * A source of nanosecond time for linger and shutdown deadlines and the journal's sync period,
 * replaceable in tests. Must be monotonic, like {@link System#nanoTime()}; called on the sink and
 * journal threads and by {@code close}.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds from an arbitrary origin. */
    long read();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
