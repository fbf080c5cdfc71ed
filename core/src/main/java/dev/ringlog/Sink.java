package dev.ringlog;

/**
 * Where an {@link EventLog} writes its events: a database table, a file, a socket.
 *
 * <p>Every method is called on the sink thread only (in {@link EventLog.Mode#SYNC sync} mode, on the
 * publishing thread while the log's lock is held), so implementations need no locks. The engine
 * calls {@link #add} for each event of a batch, then {@link #flush} once:
 *
 * <pre>{@code add(e1) add(e2) ... add(eN) flush()}</pre>
 *
 * <p>Failure contract: when {@code add} or {@code flush} throws, the sink must have discarded
 * everything added since its last successful flush (a JDBC sink rolls back). The engine then asks
 * {@link #isRetryable} what the failure means:
 * <ul>
 *   <li>retryable (the store is down, a connection broke): the engine waits for the
 *       {@link RetryPolicy} backoff and adds the same events again, in the same order;</li>
 *   <li>not retryable (an event the store rejects): the engine narrows the batch down to the events
 *       that cause the failure, commits the others, and hands each rejected event to the
 *       {@link DeadLetterHandler}. When {@code add} itself throws, the event it was given is the one
 *       at fault.</li>
 * </ul>
 * A {@code Throwable} thrown from any method never stops the sink thread.
 *
 * <p>Bounds: {@code close()} of the log waits {@code shutdownTimeout}; when it expires the sink thread
 * is halted and interrupted, to cut short a wait that honours interrupts (a pool's wait for a
 * connection). What fails then is not held against the events: they stay pending. A call that neither
 * returns nor honours the interrupt keeps the sink thread past {@code close()}: give every blocking
 * call in a sink a time limit of its own (as {@code JdbcSink} does with network and query timeouts).
 *
 * @param <E> the event type
 */
public interface Sink<E> extends AutoCloseable {

    /**
     * Adds one event to the current batch. Called on the sink thread only.
     *
     * <p>The event is a slot of the ring: it is reused for another event once its batch is committed,
     * so copy what you need to keep past {@link #flush}.
     *
     * @throws Exception if the event cannot be added; see the failure contract above
     */
    void add(E event) throws Exception;

    /**
     * Commits everything added since the last flush, or nothing. Called on the sink thread only.
     *
     * @throws Exception if the batch was not committed; the sink must have discarded it
     */
    void flush() throws Exception;

    /**
     * Whether a failure of {@link #add} or {@link #flush} is worth retrying with the same events.
     * Called on the sink thread only.
     *
     * <p>The default retries checked exceptions (I/O and SQL failures: the store is likely to come
     * back) and treats unchecked ones ({@code RuntimeException}, {@code Error}) as the fault of the
     * events being written, so that a bug or a bad value cannot stall the log forever.
     */
    default boolean isRetryable(Throwable failure) {
        return !(failure instanceof RuntimeException || failure instanceof Error);
    }

    /**
     * Releases the sink's resources. Called once, on the sink thread, after the last flush when the
     * log closes. The default does nothing.
     */
    @Override
    default void close() throws Exception {
    }
}
