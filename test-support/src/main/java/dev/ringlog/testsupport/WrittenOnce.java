package dev.ringlog.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.EventLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The promise of a log that writes every event it accepted exactly once, checked in its stats and in its table. */
public final class WrittenOnce {

    private WrittenOnce() {
    }

    /** Nothing dropped, and every accepted event written. */
    public static void stats(EventLog.Stats stats) {
        assertEquals(0, stats.dropped(), stats::toString);
        assertEquals(stats.accepted(), stats.written(), stats::toString);
    }

    /** The database failed the sink at least once (a retry), yet all {@code events} were written, none dropped or failed. */
    public static void acrossRetries(EventLog.Stats stats, long events) {
        assertTrue(stats.retries() > 0, () -> "the fault never reached the sink: " + stats);
        assertEquals(events, stats.written(), stats::toString);
        assertEquals(0, stats.dropped() + stats.failed(), stats::toString);
    }

    /**
     * {@code from} (a table, with a {@code WHERE} if need be) holds {@code rows} rows, with as many distinct ids
     * and as many distinct values of each of {@code distinct}: no event lost, none written twice.
     */
    public static void rows(Statement s, String from, long rows, String... distinct) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*), COUNT(DISTINCT id)");
        for (String d : distinct) {
            sql.append(", COUNT(DISTINCT ").append(d).append(')');
        }
        try (ResultSet rs = s.executeQuery(sql.append(" FROM ").append(from).toString())) {
            assertTrue(rs.next(), sql::toString);
            assertEquals(rows, rs.getLong(1), "rows in " + from);
            assertEquals(rows, rs.getLong(2), "distinct ids in " + from);
            for (int i = 0; i < distinct.length; i++) {
                assertEquals(rows, rs.getLong(i + 3), "distinct " + distinct[i] + " in " + from);
            }
        }
    }
}
