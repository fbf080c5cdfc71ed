package dev.ringlog.log4j2;

import dev.ringlog.logging.internal.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.ReadOnlyStringMap;

/**
 * One Log4j2 event in a ring slot: what {@link RinglogAppender} copies in {@code append}, on the
 * logging thread, and binds as one row of the logging table on the sink thread.
 *
 * <p>Log4j2 reuses its events and messages (garbage-free mode, async loggers): everything that can
 * change after {@code append} returns is copied now: the time, the strings, the formatted message, the
 * context data (a map, only when there is any) and the data of a {@link MapMessage} (the key-value
 * column). The throwable and the marker are kept by reference (Log4j2 does not change them) and
 * rendered on the sink thread.
 */
final class Log4jRow {

    private long id;
    private long epochSecond;
    private int nano;
    private String level;
    private String logger;
    private String thread;
    private String message;
    private Throwable thrown;
    private Map<String, String> context;
    private Map<String, ?> keyValues;
    private Marker marker;

    /** Copies {@code event} into this slot. Called on the logging thread, inside the log's writer. */
    void copy(LogEvent event, long id) {
        this.id = id;
        this.epochSecond = event.getInstant().getEpochSecond();
        this.nano = event.getInstant().getNanoOfSecond();
        this.level = event.getLevel().name();
        this.logger = event.getLoggerName();
        this.thread = event.getThreadName();
        Message m = event.getMessage();
        this.message = m == null ? null : m.getFormattedMessage();
        this.thrown = event.getThrown();
        ReadOnlyStringMap data = event.getContextData();
        this.context = data == null || data.isEmpty() ? null : data.toMap();
        this.keyValues = m instanceof MapMessage<?, ?> map ? map.getData() : null;
        this.marker = event.getMarker();
    }

    /** Binds the row in the table's column order. Called on the sink thread. */
    void bind(PreparedStatement ps) throws SQLException {
        ps.setLong(1, id);
        ps.setObject(2, LocalDateTime.ofEpochSecond(epochSecond, nano / 1_000 * 1_000, ZoneOffset.UTC));
        ps.setString(3, level);
        ps.setString(4, logger);
        ps.setString(5, thread);
        ps.setString(6, message);
        ps.setString(7, thrown == null ? null : stackTrace(thrown));
        ps.setString(8, json(context));
        ps.setString(9, json(keyValues));
        ps.setString(10, marker == null ? null : marker.getName());
    }

    private static String json(Map<String, ?> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        JsonObject json = new JsonObject();
        map.forEach(json::add);
        return json.toStringOrNull();
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter(1024);
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** What a dead-letter message says about the event: never its values, which may be personal data. */
    String describe() {
        return "id=" + id + ", level=" + level + ", logger=" + logger;
    }
}
