package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sink contract on the MariaDB server ({@code RINGLOG_MARIADB_URL}). */
class MariaDbSinkTest extends SinkContractTest {

    private final AtomicLong sinkConnectionId = new AtomicLong(-1);

    @Override
    HikariDataSource newPool(String tag) {
        TestServer.MARIADB.assumeReachable();
        return TestServer.MARIADB.pool(tag);
    }

    @Override
    int eventsPerProducer() {
        return 250_000;
    }

    @Override
    void prepareBreaking(FaultyDataSource faulty, HikariDataSource pool, String tag) {
        faulty.onConnect = c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                sinkConnectionId.set(rs.getLong(1));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** {@code KILL CONNECTION} on the sink's connection from another connection, whatever the sink is doing. */
    @Override
    int breakSinkConnection(FaultyDataSource faulty, String tag) throws Exception {
        try (Connection admin = DriverManager.getConnection(TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER, "");
             Statement s = admin.createStatement()) {
            s.execute("KILL CONNECTION " + sinkConnectionId.get());
            return 1;
        } catch (SQLException unknownThread) {
            return 0; // already gone: the sink is reconnecting
        }
    }

    /**
     * One event of 20 MiB among 100 small ones, in one batch, on each write path: the server's
     * {@code max_allowed_packet} is 16 MiB, so that event can never be sent; it is dead-lettered with a
     * cause that says so, the 100 others are written.
     */
    @Test
    void deadLettersAnEventLargerThanThePacketLimit() throws Exception {
        String huge = "h".repeat(20 << 20);
        for (WritePath path : new WritePath[] {WritePath.MULTI_ROW, WritePath.JDBC_BATCH}) {
            String target = otherTable("p" + path.ordinal());
            Map<String, Throwable> dead = new ConcurrentHashMap<>();
            EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, standardSink(pool, target, path))
                    .name("packet-" + path).maxBatchSize(1_000).linger(Duration.ofMinutes(1))
                    .deadLetters((e, cause) -> dead.put(e.type(), cause)));
            for (int i = 0; i < 101; i++) {
                assertTrue(i == 50
                        ? log.publish(LogEvent::set, "huge", "a", huge)
                        : log.publish(LogEvent::set, "small-" + i, "a", "s" + i));
            }
            assertTrue(log.flush(Duration.ofSeconds(60)), () -> path + ": not drained after 60 s: " + log.stats());
            assertEquals(100, count("SELECT COUNT(*) FROM " + target), path::toString);
            assertEquals(Set.of("huge"), dead.keySet(), path::toString);
            String cause = String.valueOf(dead.get("huge"));
            assertTrue(cause.contains("max_allowed_packet"), () -> path + ": the cause names the limit: " + cause);
            assertEquals(100, log.stats().written(), path::toString);
            assertEquals(1, log.stats().failed(), path::toString);
            log.close();
        }
    }

    /**
     * A server whose {@code max_allowed_packet} is 4 MiB (MySQL 5.7's default; Connector/J packs a
     * JDBC batch of inserts into bulk packets of up to 16 MiB unless told otherwise): 40 events of
     * 1 MiB are written, one of 5 MiB is dead-lettered naming the limit.
     */
    @Test
    void respectsASmallerPacketLimitOfTheServer() throws Exception {
        long global;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@global.max_allowed_packet")) {
            rs.next();
            global = rs.getLong(1);
        }
        admin("SET GLOBAL max_allowed_packet = " + (4 << 20));
        try {
            HikariDataSource small = pool(tag + "_4m"); // new connections see the new limit
            Map<String, Throwable> dead = new ConcurrentHashMap<>();
            EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, standardSink(small))
                    .name("packet-4m").maxBatchSize(1_000).linger(Duration.ofMinutes(1))
                    .deadLetters((e, cause) -> dead.put(e.type(), cause)));
            String mebibyte = "m".repeat(1 << 20);
            for (int i = 0; i < 41; i++) {
                assertTrue(i == 20
                        ? log.publish(LogEvent::set, "five", "a", "f".repeat(5 << 20))
                        : log.publish(LogEvent::set, "one-" + i, "a", i + mebibyte.substring(Integer.toString(i).length())));
            }
            assertTrue(log.flush(Duration.ofSeconds(60)), () -> "not drained after 60 s: " + log.stats());
            assertEquals(40, count("SELECT COUNT(*) FROM " + table));
            assertEquals(Set.of("five"), dead.keySet());
            String cause = String.valueOf(dead.get("five"));
            assertTrue(cause.contains("max_allowed_packet (4194304 bytes)"), cause);
            log.close();
        } finally {
            admin("SET GLOBAL max_allowed_packet = " + global);
        }
    }

    /** The JDBC batch path sends one statement per event: each of 1 MiB fits, all 150 are written. */
    @Test
    void writesEventsOfOneMebibyteEachThroughAJdbcBatch() throws Exception {
        assertWritesLargeEvents(table, standardSink(pool, table, WritePath.JDBC_BATCH), 150, 1 << 20);
    }

    /**
     * 1,000 events of 100 KiB (100 MiB) in one batch: multi-row statements of 100 rows (10 MiB each,
     * under the 16 MiB packet limit) pipelined in one JDBC batch, each its own packet.
     */
    @Test
    void writesMultiRowStatementsOfTenMebibytes() throws Exception {
        assertWritesLargeEvents(table, standardSink(pool, table, WritePath.MULTI_ROW), 1_000, 100 << 10);
    }

    /**
     * A user that may only write an existing table (INSERT, SELECT, and UPDATE for the idempotent
     * {@code ON DUPLICATE KEY UPDATE}) writes everything: the sink finds the table in the metadata and
     * runs no DDL (MariaDB checks the CREATE privilege even for {@code CREATE TABLE IF NOT EXISTS} on a
     * table that exists: error 1142).
     */
    @Test
    void writesAsAUserThatMayOnlyWriteTheTable() throws Exception {
        JdbcSink.forLogEvents(pool).table(table).build().close(); // the table, made by root
        String user = tag.length() > 60 ? tag.substring(0, 60) : tag;
        admin("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'", "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'pw'",
                "GRANT INSERT, SELECT, UPDATE ON " + table + " TO '" + user + "'@'%'",
                "GRANT INSERT, SELECT, UPDATE ON " + table + " TO '" + user + "'@'localhost'");
        Properties password = new Properties();
        password.setProperty("password", "pw");
        HikariDataSource asUser = TestServer.pool(TestDatabases.MARIADB_URL, user, tag + "_u", password);
        try {
            EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, standardSink(asUser)).name("least-privilege"));
            for (int i = 0; i < 1_000; i++) {
                assertTrue(log.publish(LogEvent::set, "lp", "a", "lp-" + i));
            }
            assertTrue(log.flush(Duration.ofSeconds(20)), () -> "not drained after 20 s: " + log.stats());
            log.close();
            assertEquals(1_000, log.stats().written(), () -> "written: " + log.stats());
            assertExactly(1_000, log);
        } finally {
            asUser.close();
            admin("DROP USER IF EXISTS '" + user + "'@'%'", "DROP USER IF EXISTS '" + user + "'@'localhost'");
        }
    }

    private static void admin(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER, "");
             Statement s = c.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        }
    }
}
