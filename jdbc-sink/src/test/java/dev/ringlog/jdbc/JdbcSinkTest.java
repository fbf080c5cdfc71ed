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
    void rejectsReservedWordsAsTableNames() {
        for (String reserved : new String[] {"order", "user", "select", "group", "table", "ORDER", "Key", "audit.order",
                "user.events", "limit", "value"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> JdbcSink.forLogEvents(new HikariDataSource()).table(reserved), reserved);
            assertTrue(e.getMessage().startsWith("table must not be a reserved word of SQL, H2, PostgreSQL or"
                    + " MariaDB/MySQL (the name is not quoted): table='" + reserved + "'"), e.getMessage());
        }
        assertEquals("orders", SqlIdentifier.validate("table", "orders"));
        assertEquals("audit.user_events", SqlIdentifier.validate("table", "audit.user_events"));
    }

    @Test
    void classifiesFailuresByWhatWaitingCanFix() {
        JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(JdbcSink.embeddedH2(directory).open()).build();
        // retryable: the connection or the server's state, which waiting can fix
        for (String state : new String[] {"08001", "08006", "40001", "40P01", "57P01", "57P02", "57P03", "57014",
                "53100", "53200", "53300", "55P03", "HYT00"}) {
            assertTrue(sink.isRetryable(new SQLException("state " + state, state)), state);
        }
        assertTrue(sink.isRetryable(new SQLTransientException("busy")));
        assertTrue(sink.isRetryable(new SQLTimeoutException("timeout")));
        assertTrue(sink.isRetryable(new SQLRecoverableException("reconnect")));
        assertTrue(sink.isRetryable(new SQLNonTransientConnectionException("gone", "08006")));
        assertTrue(sink.isRetryable(new java.io.IOException("reset")));
        // HikariCP's wait for a connection, interrupted (by close() giving up): no SQLState, not the events' fault
        assertTrue(sink.isRetryable(new SQLException("pool - Interrupted during connection acquisition",
                new InterruptedException())));
        // MariaDB: lock wait timeout, disk full, table full, server shutting down (coarse HY000/08S01 states)
        for (int code : new int[] {1205, 1021, 1114, 1053}) {
            assertTrue(sink.isRetryable(new SQLException("mariadb " + code, "HY000", code)), "code " + code);
        }
        // H2: object closed under the sink, database closed, I/O error (disk full), lock timeout, concurrent update
        for (int code : new int[] {90007, 90098, 90028, 50200, 90131}) {
            assertTrue(sink.isRetryable(new SQLException("h2 " + code, Integer.toString(code), code)), "code " + code);
        }
        // H2 on a full disk: a general error over the file's IOException
        assertTrue(sink.isRetryable(new SQLException("General error: MVStoreException: Writing to file failed", "HY000",
                50000, new IllegalStateException("Writing failed", new java.io.IOException("No space left on device")))));
        // not retryable, the event's own fault: dead-lettered alone
        assertFalse(sink.isRetryable(new SQLException("value too long", "22001")));
        assertFalse(sink.isRetryable(new SQLException("check violation", "23514")));
        assertFalse(sink.isRetryable(new SQLIntegrityConstraintViolationException("dup", "23000")));
        assertFalse(sink.isRetryable(new IllegalArgumentException("binder cannot convert")));
        assertFalse(sink.isRetryable(new SQLException("mariadb data too long", "22001", 1406)));
        // not retryable, neither the event's nor transient: syntax, privilege, missing table or column,
        // unsupported feature, authentication, missing schema or catalog, program limits, no state at all
        for (String state : new String[] {"42601", "42501", "42P01", "42703", "42S02", "42001", "0A000", "28000",
                "28P01", "3F000", "3D000", "54000", "54001", "HY000", "XX000", "90079"}) {
            assertFalse(sink.isRetryable(new SQLException("state " + state, state)), state);
        }
        assertFalse(sink.isRetryable(new SQLException("no state")));
        // MariaDB by vendor code: access denied (table, database, login), no such table, syntax, packet too large
        for (int code : new int[] {1142, 1044, 1045, 1146, 1064, 1153}) {
            assertFalse(sink.isRetryable(new SQLException("mariadb " + code, code == 1153 ? "08S01" : "42000", code)),
                    "code " + code);
        }
        // a pool that wraps the server's answer keeps its state: an authentication failure is not transient
        assertFalse(sink.isRetryable(new java.sql.SQLTransientConnectionException("pool: not available", "28P01",
                new SQLException("password authentication failed", "28P01"))));
        // MariaDB Connector/J refusing a statement over max_allowed_packet before sending it
        assertFalse(sink.isRetryable(new SQLNonTransientConnectionException("Packet too big for current server"
                + " max_allowed_packet value", "08000", -1, new java.io.IOException("query size (20971557) is >= to"
                + " max_allowed_packet (16777216)"))));
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
    void failsAtBuildWhenTheDatabaseRejectsTheStatement() throws Exception {
        try (HikariDataSource ds = JdbcSink.embeddedH2(directory).open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> JdbcSink.<LogEvent>builder(ds,
                    "INSERT INTO missing_table (a) VALUES (?)", (ps, ev) -> ps.setLong(1, ev.id())).build());
            assertTrue(e.getMessage().contains("INSERT INTO missing_table (a) VALUES (?)"), e.getMessage());
            assertTrue(e.getMessage().contains("Table \"MISSING_TABLE\" not found"), e.getMessage());
        }
    }

    @Test
    void failsAtBuildOnASyntaxError() throws Exception {
        try (HikariDataSource ds = JdbcSink.embeddedH2(directory).open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> JdbcSink.<LogEvent>builder(ds,
                    "INSRT INTO events (id) VALUES (?)", (ps, ev) -> ps.setLong(1, ev.id())).build());
            assertTrue(e.getMessage().startsWith("ringlog: custom insert INSRT INTO events (id) VALUES (?): the database"
                    + " rejected the setup (42001, error 42001): Syntax error in SQL statement"), e.getMessage());
        }
    }

    @Test
    void failsAtBuildWhenTheSchemaOfTheTableIsMissing() throws Exception {
        try (HikariDataSource ds = JdbcSink.embeddedH2(directory).open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JdbcSink.forLogEvents(ds).table("later.events").build());
            assertTrue(e.getMessage().contains("table later.events"), e.getMessage());
            assertTrue(e.getMessage().contains("Schema \"LATER\" not found"), e.getMessage());
        }
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
            // Added again without a failure in between (a replay): the plain insert fails on the key,
            // retryably, and the retry, idempotent, adds no duplicate.
            sink.add(TestEvents.event(7, 1_700_000_000_000_001L, "t", "a", "p"));
            SQLException duplicate = assertThrows(SQLException.class, sink::flush);
            assertTrue(sink.isRetryable(duplicate), duplicate::toString);
            sink.add(TestEvents.event(7, 1_700_000_000_000_001L, "t", "a", "p"));
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
    void failsAtBuildWhenTheTableIsMissingAndCreationIsOff() throws Exception {
        try (HikariDataSource ds = JdbcSink.embeddedH2(directory).open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JdbcSink.forLogEvents(ds).table("absent_events").createTable(false).build());
            assertTrue(e.getMessage().contains("table absent_events does not exist and createTable(false) is set"),
                    e.getMessage());
            try (Connection c = ds.getConnection()) {
                assertFalse(Schema.exists(c, "absent_events"), "no DDL ran");
            }
        }
    }

    /**
     * A user that may only write (select, insert, update: H2's idempotent MERGE) an existing, schema-qualified table (created in upper
     * case, named in mixed case: H2 folds unquoted names to upper case) writes with the default
     * createTable(true): the table is found in the metadata, no DDL runs.
     */
    @Test
    void writesAsAUserThatMayOnlyWriteTheTable() throws Exception {
        String url = "jdbc:h2:" + directory.resolve("lp").toAbsolutePath();
        try (Connection admin = java.sql.DriverManager.getConnection(url, "sa", "");
             Statement s = admin.createStatement()) {
            s.execute("CREATE SCHEMA AUDIT");
            for (String ddl : Dialect.H2.createTable("AUDIT.APP_EVENTS")) {
                s.execute(ddl);
            }
            s.execute("CREATE USER writer PASSWORD 'w'");
            s.execute("GRANT SELECT, INSERT, UPDATE ON AUDIT.APP_EVENTS TO writer"); // H2's MERGE needs UPDATE too
            com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername("writer");
            config.setPassword("w");
            try (HikariDataSource ds = new HikariDataSource(config)) {
                try (Connection c = ds.getConnection(); Statement denied = c.createStatement()) {
                    SQLException e = assertThrows(SQLException.class,
                            () -> denied.execute("CREATE TABLE AUDIT.OTHER_EVENTS (id BIGINT)"));
                    assertFalse(SqlFailures.isRetryable(e), e::toString); // the user may not run DDL
                }
                JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(ds).table("Audit.App_Events").build();
                sink.add(TestEvents.event(1, 1, "t", "a", "p1"));
                sink.add(TestEvents.event(2, 2, "t", "a", "p2"));
                sink.flush();
                sink.close();
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM AUDIT.APP_EVENTS")) {
                rs.next();
                assertEquals(2, rs.getLong(1));
            }
        }
    }

    @Test
    void convertsMicrosecondsExactly() {
        assertEquals(LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1_000), JdbcSink.utc(1));
        assertEquals(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), JdbcSink.utc(-1));
    }
}
