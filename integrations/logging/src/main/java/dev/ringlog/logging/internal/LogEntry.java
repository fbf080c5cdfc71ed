package dev.ringlog.logging.internal;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One logging event in a ring slot, as {@link LogTable#bind} reads it. It holds what every framework's
 * event has (the id, the time, the level, the logger, the thread, the formatted message), filled by
 * {@link #copy}; each framework's row (Logback's {@code LogRow}, Log4j2's {@code Log4jRow}) adds what it
 * keeps of the rest (the throwable, the MDC, the key-value pairs, the markers) and how it renders them.
 * Written on the logging thread, inside the log's writer; read on the sink thread only, after that.
 */
public abstract class LogEntry {

    private long id;
    private long epochSecond;
    private int nanoOfSecond;
    private String level;
    private String logger;
    private String thread;
    private String message;

    /** Copies the part of an event every framework has. Called on the logging thread: stores references, allocates nothing. */
    protected final void copy(long id, long epochSecond, int nanoOfSecond, String level, String logger, String thread,
            String message) {
        this.id = id;
        this.epochSecond = epochSecond;
        this.nanoOfSecond = nanoOfSecond;
        this.level = level;
        this.logger = logger;
        this.thread = thread;
        this.message = message;
    }

    /** The row's key: unique per appender run. */
    public final long id() {
        return id;
    }

    public final long epochSecond() {
        return epochSecond;
    }

    public final int nanoOfSecond() {
        return nanoOfSecond;
    }

    public final String level() {
        return level;
    }

    public final String logger() {
        return logger;
    }

    public final String thread() {
        return thread;
    }

    /** The formatted message. */
    public final String message() {
        return message;
    }

    /** The stack trace, rendered now, or {@code null} without a throwable. */
    public abstract String throwable();

    /** The MDC (Log4j2: the context data): {@code null} or empty when there is none. */
    public abstract Map<String, String> mdc();

    /**
     * The value of a key-value pair (SLF4J 2's {@code addKeyValue}; Log4j2: a {@code MapMessage}'s data),
     * {@code null} if the event has none of that key; the last one of a repeated key.
     */
    public abstract Object keyValue(String key);

    /** Each key-value pair, in order. */
    public abstract void forEachKeyValue(BiConsumer<String, Object> action);

    /** The name of each marker. */
    public abstract void forEachMarker(Consumer<String> action);
}
