package dev.ringlog;

/**
 * Fills a pre-allocated event in place. Called on the publishing thread, between claiming a ring slot
 * and publishing it.
 *
 * <p>Pass a non-capturing lambda or a method reference and the arguments separately (see
 * {@link EventWriter1}): the JVM then reuses one writer instance and the publish allocates nothing. A
 * writer must not throw; if it does, the exception reaches the caller of {@code publish} and the
 * half-written event goes to the dead-letter handler, counted as failed.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventWriter<E> {
    void write(E event);
}
