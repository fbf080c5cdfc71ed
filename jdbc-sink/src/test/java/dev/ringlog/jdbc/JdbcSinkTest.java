package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.LogEvent;
import dev.ringlog.TestEvents;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink's own rules: identifier validation, failure classification, the H2 table, the atomic batch. */
class JdbcSinkTest {

    @TempDir
    Path directory;

    @Test
    void rejectsATableNameThatIsNotAnIdentifier() {
        for (String bad : new String[] {"events; DROP TABLE users", "1events", "", "a.b.c", "ev-ents", "\"quoted\"",
                "x".repeat(64), ".events", "events."}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> JdbcSink.forLogEvents(new HikariDataSource()).table(bad));
            assertEquals("table must be an SQL identifier, optionally schema-qualified ([A-Za-z_][A-Za-z0-9_]{0,62},"
                    + " e.g. events or audit.events): table='" + bad + "'", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JdbcSink.forLogEvents(new HikariDataSource()).table(null));
        assertTrue(e.getMessage().endsWith("table=null"), e.getMessage());
    }

    @Test
    void acceptsPlainAndSchemaQualifiedNames() {
        assertEquals("events", SqlIdentifier.validate("table", "events"));
        assertEquals("audit.Events_2", SqlIdentifier.validate("table", "audit.Events_2"));
        assertEquals("_x" + "y".repeat(61), SqlIdentifier.validate("table", "_x" + "y".repeat(61)));
    }

    @Test
    void shortensLongIndexNames() {
        String table = "s." + "t".repeat(63);
        String name = Dialect.indexName(table, "type");
        assertEquals(63, name.length());
        assertTrue(name.endsWith("_type_idx"), name);
        assertEquals("events_ts_idx", Dialect.indexName("audit.events", "ts"));
    }

    @Test
    void classifiesFailures() {
        JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(JdbcSink.embeddedH2(directory).open()).build();
        // retryable: the connection or the server, never the event
        assertTrue(sink.isRetryable(new SQLException("connection refused", "08001")));
        assertTrue(sink.isRetryable(new SQLException("serialization failure", "40001")));
        assertTrue(sink.isRetryable(new SQLException("admin shutdown", "57P01")));
        assertTrue(sink.isRetryable(new SQLTransientException("busy")));
        assertTrue(sink.isRetryable(new SQLTimeoutException("timeout")));
        assertTrue(sink.isRetryable(new SQLRecoverableException("reconnect")));
        assertTrue(sink.isRetryable(new SQLNonTransientConnectionException("gone", "08006")));
        assertTrue(sink.isRetryable(new SQLException("disk full", "53100")));
        assertTrue(sink.isRetryable(new SQLException("no state")));
        assertTrue(sink.isRetryable(new java.io.IOException("reset")));
        // not retryable: the event's own fault
        assertFalse(sink.isRetryable(new SQLException("value too long", "22001")));
        assertFalse(sink.isRetryable(new SQLException("check violation", "23514")));
        assertFalse(sink.isRetryable(new SQLIntegrityConstraintViolationException("dup", "23000")));
        assertFalse(sink.isRetryable(new IllegalArgumentException("binder cannot convert")));
        // a batch failure is read through to what it carries, whatever its own state says
        BatchUpdateException connectionLost = new BatchUpdateException("batch aborted", "23505", 0, new int[0],
                new SQLNonTransientConnectionException("socket", "08006"));
        assertTrue(sink.isRetryable(connectionLost));
        BatchUpdateException badRow = new BatchUpdateException("batch aborted", null, 0, new int[0], null);
        badRow.setNextException(new SQLException("not null", "23502"));
        assertFalse(sink.isRetryable(badRow));
        BatchUpdateException timedOut = new BatchUpdateException("batch aborted", "HY000", 0, new int[0],
                new SQLTimeoutException("timeout"));
        assertTrue(sink.isRetryable(timedOut));
        BatchUpdateException bare = new BatchUpdateException("batch aborted", "22003", 0, new int[0], null);
        assertFalse(sink.isRetryable(bare));
        sink.close();
    }

    @Test
    void rollsBackTheWholeBatchWhenOneRowFails() throws Exception {
        try (HikariDataSource ds = JdbcSink.embeddedH2(directory).open()) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(5) NOT NULL)");
            }
            JdbcSink<LogEvent> sink = JdbcSink.<LogEvent>builder(ds, "INSERT INTO t (id, v) VALUES (?, ?)", (ps, e) -> {
                ps.setLong(1, e.id());
                ps.setString(2, e.payload());
            }).build();
            sink.add(TestEvents.event(1, 0, null, null, "ok"));
            sink.add(TestEvents.event(2, 0, null, null, "too long for five"));
            SQLException failure = assertThrows(SQLException.class, sink::flush);
            assertFalse(sink.isRetryable(failure), failure::toString);
            sink.add(TestEvents.event(1, 0, null, null, "ok"));
            sink.flush(); // the first batch left nothing behind: id 1 inserts again without a conflict
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                rs.next();
                assertEquals(1, rs.getLong(1));
            }
            sink.close();
        }
    }

    @Test
    void createsTheStandardTableInASchema() throws Exception {
        try (HikariDataSource ds = JdbcSink.embeddedH2(directory).open()) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA audit");
            }
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(ds).table("audit.events").build();
            sink.add(TestEvents.event(7, 1_700_000_000_000_001L, "t", "a", "p"));
            sink.flush();
            sink.add(TestEvents.event(7, 1_700_000_000_000_001L, "t", "a", "p")); // retried: no duplicate
            sink.flush();
            sink.close();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(ts) FROM audit.events")) {
                rs.next();
                assertEquals(1, rs.getLong(1));
                assertEquals(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 1_000), rs.getObject(2, LocalDateTime.class));
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES"
                         + " WHERE TABLE_SCHEMA = 'AUDIT' AND TABLE_NAME = 'EVENTS' AND INDEX_NAME IN ('EVENTS_TS_IDX', 'EVENTS_TYPE_IDX')")) {
                rs.next();
                assertEquals(2, rs.getLong(1));
            }
        }
    }

    @Test
    void retriesTableCreationInsteadOfBlamingTheEvents() throws Exception {
        try (HikariDataSource ds = JdbcSink.embeddedH2(directory).open()) {
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(ds).table("later.events").build(); // schema missing: logs
            SQLException e = assertThrows(SQLException.class, () -> sink.add(TestEvents.event(1, 1, "t", "a", "p")));
            assertTrue(e instanceof SQLTransientException, e::toString);
            assertTrue(sink.isRetryable(e), "a table that cannot be created is not the event's fault");
            assertTrue(e.getMessage().startsWith("ringlog: could not create table later.events: "), e.getMessage());
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA later"); // the operator fixes it; the engine's retry then succeeds
            }
            sink.add(TestEvents.event(1, 1, "t", "a", "p"));
            sink.flush();
            sink.close();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM later.events")) {
                rs.next();
                assertEquals(1, rs.getLong(1));
            }
        }
    }

    @Test
    void customStatementErrorsSurfaceOnFirstWrite() throws Exception {
        try (HikariDataSource ds = JdbcSink.embeddedH2(directory).open()) {
            JdbcSink<LogEvent> sink = JdbcSink.<LogEvent>builder(ds, "INSERT INTO missing_table (a) VALUES (?)",
                    (ps, e) -> ps.setLong(1, e.id())).build(); // logs, does not throw
            SQLException e = assertThrows(SQLException.class, () -> sink.add(new LogEvent()));
            assertTrue(e instanceof SQLSyntaxErrorException || "42S02".equals(e.getSQLState()), e::toString);
            sink.close();
        }
    }

    @Test
    void convertsMicrosecondsExactly() {
        assertEquals(LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1_000), JdbcSink.utc(1));
        assertEquals(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), JdbcSink.utc(-1));
    }
}
