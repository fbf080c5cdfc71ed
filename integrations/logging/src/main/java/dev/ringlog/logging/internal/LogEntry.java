package dev.ringlog.logging.internal;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One logging event in a ring slot, as {@link LogTable#bind} reads it: what each framework's row (Logback's
 * {@code LogRow}, Log4j2's {@code Log4jRow}) gives, so the columns are bound once, here. Read on the sink
 * thread only, after the logging thread copied the event into the slot.
 */
public interface LogEntry {

    /** The row's key: unique per appender run. */
    long id();

    long epochSecond();

    int nanoOfSecond();

    String level();

    String logger();

    String thread();

    String message();

    /** The stack trace, rendered now, or {@code null} without a throwable. */
    String throwable();

    /** The MDC (Log4j2: the context data): {@code null} or empty when there is none. */
    Map<String, String> mdc();

    /**
     * The value of a key-value pair (SLF4J 2's {@code addKeyValue}; Log4j2: a {@code MapMessage}'s data),
     * {@code null} if the event has none of that key; the last one of a repeated key.
     */
    Object keyValue(String key);

    /** Each key-value pair, in order. */
    void forEachKeyValue(BiConsumer<String, Object> action);

    /** The name of each marker. */
    void forEachMarker(Consumer<String> action);
}
