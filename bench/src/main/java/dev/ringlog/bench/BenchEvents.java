package dev.ringlog.bench;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The event every benchmark publishes: the fields of a page view, as in the story in DESIGN.md. */
final class BenchEvents {

    static final String TYPE = "page_view";
    static final String ACTOR = "user-4711";
    static final String PAYLOAD = "{\"path\":\"/products/42\",\"referrer\":\"/home\",\"ms\":12}";

    private BenchEvents() {
    }

    /** The current time in microseconds since the epoch, as {@code LogEvent.set} stamps it. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** An event as the classic queue-and-thread design carries it: one immutable object per event. */
    record QueuedEvent(long id, long epochMicros, String type, String actor, String payload) {
    }

    /**
     * Binds one row of the standard layout to the parameters after {@code offset} (a multi-row statement's
     * row {@code r} is at {@code r * 5}); so that every baseline binds the same way.
     */
    static void bind(PreparedStatement ps, int offset, long id, long epochMicros, String type, String actor, String payload)
            throws SQLException {
        ps.setLong(offset + 1, id);
        ps.setTimestamp(offset + 2, timestamp(epochMicros));
        ps.setString(offset + 3, type);
        ps.setString(offset + 4, actor);
        ps.setString(offset + 5, payload);
    }

    /** {@code n} events with ids 0 to n - 1, built ahead: the raw ceilings write them without building any. */
    static QueuedEvent[] prebuilt(int n) {
        QueuedEvent[] events = new QueuedEvent[n];
        for (int i = 0; i < n; i++) {
            events[i] = new QueuedEvent(i, nowMicros(), TYPE, ACTOR, PAYLOAD);
        }
        return events;
    }

    /** The time as ringlog's {@code JdbcSink} binds it: a {@code LocalDateTime} in UTC. */
    static LocalDateTime utc(long epochMicros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                (int) Math.floorMod(epochMicros, 1_000_000L) * 1_000, ZoneOffset.UTC);
    }

    private static Timestamp timestamp(long epochMicros) {
        Timestamp ts = new Timestamp(Math.floorDiv(epochMicros, 1_000L));
        ts.setNanos((int) Math.floorMod(epochMicros, 1_000_000L) * 1_000);
        return ts;
    }
}
