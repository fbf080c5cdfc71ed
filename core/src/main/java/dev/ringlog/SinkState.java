package dev.ringlog;

/**
 * What the sink is doing, as {@link SinkHealth#state()} reports it. In circuit-breaker terms: while
 * {@link #RETRYING} the breaker is open for the retry delay, and the next attempt is the probe; a
 * successful attempt closes it ({@link #WRITING}).
 */
public enum SinkState {
    /** Writing normally, or idle: the last attempt succeeded (or none failed yet). */
    WRITING,
    /** The last attempt failed with a retryable failure: the batch waits for its next attempt. */
    RETRYING,
    /** The sink thread has stopped: the log is closed, or the thread died. */
    STOPPED
}
