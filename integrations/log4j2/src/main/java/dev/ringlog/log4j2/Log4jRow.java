package dev.ringlog.log4j2;

import dev.ringlog.logging.internal.LogEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.ReadOnlyStringMap;

/**
 * One Log4j2 event in a ring slot: what {@link RinglogAppender} copies in {@code append}, on the
 * logging thread; the table binds it as one row on the sink thread ({@link LogEntry}).
 *
 * <p>Log4j2 reuses its events and messages (garbage-free mode, async loggers): everything that can
 * change after {@code append} returns is copied now: the time, the strings, the formatted message, the
 * context data (a map, only when there is any: the {@code mdc} sources) and the data of a
 * {@link MapMessage} (the {@code kv} sources: Log4j2's structured key-value pairs). The throwable and the
 * marker are kept by reference (Log4j2 does not change them) and rendered on the sink thread.
 */
final class Log4jRow extends LogEntry {

    private Throwable thrown;
    private Map<String, String> context;
    private Map<String, ?> keyValues;
    private Marker marker;

    /** Copies {@code event} into this slot. Called on the logging thread, inside the log's writer. */
    void copy(LogEvent event, long id) {
        Message m = event.getMessage();
        copy(id, event.getInstant().getEpochSecond(), event.getInstant().getNanoOfSecond(), event.getLevel().name(),
                event.getLoggerName(), event.getThreadName(), m == null ? null : m.getFormattedMessage());
        this.thrown = event.getThrown();
        ReadOnlyStringMap data = event.getContextData();
        this.context = data == null || data.isEmpty() ? null : data.toMap();
        this.keyValues = m instanceof MapMessage<?, ?> map ? map.getData() : null;
        this.marker = event.getMarker();
    }

    @Override
    public String throwable() {
        if (thrown == null) {
            return null;
        }
        StringWriter out = new StringWriter(1024);
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Override
    public Map<String, String> mdc() {
        return context;
    }

    @Override
    public Object keyValue(String key) {
        return keyValues == null ? null : keyValues.get(key);
    }

    @Override
    public void forEachKeyValue(BiConsumer<String, Object> action) {
        if (keyValues != null) {
            keyValues.forEach(action);
        }
    }

    @Override
    public void forEachMarker(Consumer<String> action) {
        if (marker != null) {
            action.accept(marker.getName());
        }
    }
}
