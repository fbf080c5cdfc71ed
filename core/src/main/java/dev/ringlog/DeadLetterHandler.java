package dev.ringlog;

/**
 * Receives each event that could not be written: the sink rejected it (not retryable), its writer
 * threw, or the {@link RetryPolicy} gave up. Every such event is counted in
 * {@link EventLog.Stats#failed()}.
 *
 * <p>Called on the sink thread, with the ring slot itself: copy what you need before returning, the
 * slot is reused afterwards. A {@code Throwable} thrown here is logged and does not stop the sink
 * thread; the event stays counted as failed.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface DeadLetterHandler<E> {
    void handle(E event, Throwable cause);
}
