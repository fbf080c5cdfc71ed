package dev.ringlog;

/**
 * An {@link EventWriter} that takes three arguments, so that a non-capturing lambda or a method reference can
 * write values it does not capture: {@code log.publish(LogEvent::set, type, actor, payload)}.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventWriter3<E, A, B, C> {
    void write(E event, A a, B b, C c);
}
