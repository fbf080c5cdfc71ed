package dev.ringlog.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import dev.ringlog.logging.internal.JsonObject;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * One logging event in a ring slot: what {@link RinglogAppender} copies from Logback's event on the
 * logging thread, and binds as one row of the logging table on the sink thread.
 *
 * <p>The copy takes references only (no allocation): the strings, Logback's throwable proxy, its MDC
 * map (an unmodifiable snapshot per event), the key-value list and the marker list, none of which
 * Logback changes after the event is created. The text columns that cost (the stack trace, the JSON
 * of the MDC and of the key-value pairs) are rendered in {@link #bind}, on the sink thread. A key-value
 * pair's value is therefore read on the sink thread: log immutable values, as with Logback's own
 * {@code AsyncAppender}. A slot keeps its references until it is reused.
 */
final class LogRow {

    private long id;
    private long epochSecond;
    private int nano;
    private String level;
    private String logger;
    private String thread;
    private String message;
    private IThrowableProxy throwable;
    private Map<String, String> mdc;
    private List<KeyValuePair> keyValues;
    private List<Marker> markers;

    /** Copies {@code event} into this slot. Called on the logging thread, inside the log's writer. */
    void copy(ILoggingEvent event, long id) {
        this.id = id;
        Instant instant = event.getInstant();
        this.epochSecond = instant.getEpochSecond();
        this.nano = instant.getNano();
        this.level = event.getLevel().levelStr;
        this.logger = event.getLoggerName();
        this.thread = event.getThreadName();
        this.message = event.getFormattedMessage();
        this.throwable = event.getThrowableProxy();
        this.mdc = event.getMDCPropertyMap();
        this.keyValues = event.getKeyValuePairs();
        this.markers = event.getMarkerList();
    }

    /** Binds the row in {@link dev.ringlog.logging.internal.LogTable#COLUMNS} order. Called on the sink thread. */
    void bind(PreparedStatement ps) throws SQLException {
        ps.setLong(1, id);
        // Microseconds: the finest every supported database keeps (DATETIME(6), TIMESTAMP(6)).
        ps.setObject(2, LocalDateTime.ofEpochSecond(epochSecond, nano / 1_000 * 1_000, ZoneOffset.UTC));
        ps.setString(3, level);
        ps.setString(4, logger);
        ps.setString(5, thread);
        ps.setString(6, message);
        ps.setString(7, throwable == null ? null : ThrowableProxyUtil.asString(throwable));
        ps.setString(8, mdcJson());
        ps.setString(9, keyValuesJson());
        ps.setString(10, markerNames());
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

    private String mdcJson() {
        if (mdc == null || mdc.isEmpty()) {
            return null;
        }
        JsonObject json = new JsonObject();
        mdc.forEach(json::add);
        return json.toStringOrNull();
    }

    private String keyValuesJson() {
        if (keyValues == null || keyValues.isEmpty()) {
            return null;
        }
        JsonObject json = new JsonObject();
        for (KeyValuePair p : keyValues) {
            json.add(p.key, p.value);
        }
        return json.toStringOrNull();
    }

    private String markerNames() {
        if (markers == null || markers.isEmpty()) {
            return null;
        }
        StringBuilder names = new StringBuilder();
        for (Marker m : markers) {
            if (names.length() > 0) {
                names.append(',');
            }
            names.append(m.getName());
        }
        return names.toString();
    }

    /** What a dead-letter message says about the event: never its values, which may be personal data. */
    String describe() {
        return "id=" + id + ", level=" + level + ", logger=" + logger;
    }
}
