package dev.ringlog;

/**
 * An {@link EventWriter} that takes one argument, so that a non-capturing lambda or a method reference can
 * write values it does not capture: {@code log.publish(LogEvent::set, type, actor, payload)}.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventWriter1<E, A> {
    void write(E event, A a);
}
