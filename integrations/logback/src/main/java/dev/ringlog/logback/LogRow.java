package dev.ringlog.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import dev.ringlog.logging.internal.LogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * One logging event in a ring slot: what {@link RinglogAppender} copies from Logback's event on the
 * logging thread; the table binds it as one row on the sink thread ({@link LogEntry}).
 *
 * <p>The copy takes references only (no allocation): the strings, Logback's throwable proxy, its MDC
 * map (an unmodifiable snapshot per event), the key-value list and the marker list, none of which
 * Logback changes after the event is created. The text that costs (the stack trace, the JSON of the
 * MDC and of the key-value pairs) is rendered when the row is bound, on the sink thread. A key-value
 * pair's value is therefore read on the sink thread: log immutable values, as with Logback's own
 * {@code AsyncAppender}. A slot keeps its references until it is reused.
 */
final class LogRow extends LogEntry {

    private IThrowableProxy throwable;
    private Map<String, String> mdc;
    private List<KeyValuePair> keyValues;
    private List<Marker> markers;

    /** Copies {@code event} into this slot. Called on the logging thread, inside the log's writer. */
    void copy(ILoggingEvent event, long id) {
        Instant instant = event.getInstant();
        copy(id, instant.getEpochSecond(), instant.getNano(), event.getLevel().levelStr, event.getLoggerName(),
                event.getThreadName(), event.getFormattedMessage());
        this.throwable = event.getThrowableProxy();
        this.mdc = event.getMDCPropertyMap();
        this.keyValues = event.getKeyValuePairs();
        this.markers = event.getMarkerList();
    }

    /** Whether one of the event's markers is, or refers to, {@code name}. */
    static boolean hasMarker(ILoggingEvent event, String name) {
        List<Marker> list = event.getMarkerList();
        if (list != null) {
            for (Marker m : list) {
                if (m.contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String throwable() {
        return throwable == null ? null : ThrowableProxyUtil.asString(throwable);
    }

    @Override
    public Map<String, String> mdc() {
        return mdc;
    }

    @Override
    public Object keyValue(String key) {
        Object value = null;
        if (keyValues != null) {
            for (KeyValuePair p : keyValues) {
                if (key.equals(p.key)) {
                    value = p.value; // the last one wins, as in the JSON column
                }
            }
        }
        return value;
    }

    @Override
    public void forEachKeyValue(BiConsumer<String, Object> action) {
        if (keyValues != null) {
            for (KeyValuePair p : keyValues) {
                action.accept(p.key, p.value);
            }
        }
    }

    @Override
    public void forEachMarker(Consumer<String> action) {
        if (markers != null) {
            for (Marker m : markers) {
                action.accept(m.getName());
            }
        }
    }
}
