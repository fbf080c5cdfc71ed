package dev.ringlog.log4j2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.EventLog;
import java.io.File;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * The appender on the real PostgreSQL server, restarted in the middle of a run. Skipped with a
 * message when nothing answers, failed instead when {@code RINGLOG_REQUIRE_DB=1} (as in jdbc-sink's
 * TestDatabases). Run it under {@code flock /tmp/ringlog-db.lock}: it restarts the shared server.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PostgresAppenderTest {

    private static final String URL = env("RINGLOG_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = env("RINGLOG_PG_USER", "postgres");

    private LoggerContext context;

    @AfterEach
    void stopLog4j() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void writesEveryEventOnceAcrossAServerRestart() throws Exception {
        assumeReachable();
        String table = "log4j2_pg_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
        try {
            System.setProperty("ringlog.test.pgUrl", URL);
            System.setProperty("ringlog.test.pgUser", USER);
            System.setProperty("ringlog.test.table", table);
            context = new LoggerContext("ringlog-pg", null, getClass().getResource("/log4j2-ringlog-postgres.xml").toURI());
            context.start();
            RinglogAppender appender = context.getConfiguration().getAppender("DB");
            assertTrue(appender != null && appender.isStarted(), "appender started");
            EventLog<?> log = appender.eventLog();

            Logger logger = context.getLogger("test.pg");
            int events = 2_000;
            for (int i = 0; i < events; i++) {
                if (i == events / 2) {
                    assertTrue(log.flush(Duration.ofSeconds(30)), "first half flushed");
                    restartPostgres(); // the sink's connection dies with the server
                }
                ThreadContext.put("request", "r-" + i);
                logger.info(new StringMapMessage().with("event", "event " + i).with("n", i));
                ThreadContext.remove("request");
            }
            assertTrue(log.flush(Duration.ofSeconds(90)), "flushed after the restart");

            EventLog.Stats stats = log.stats();
            assertTrue(stats.retries() > 0, () -> "the restart never reached the sink: " + stats);
            assertEquals(events, stats.written(), stats::toString);
            assertEquals(0, stats.dropped() + stats.failed(), stats::toString);
            try (Connection c = connect(); Statement s = c.createStatement()) {
                assertEquals(events, count(s, "SELECT COUNT(*) FROM " + table));
                assertEquals(events, count(s, "SELECT COUNT(DISTINCT id) FROM " + table));
                assertEquals(events, count(s, "SELECT COUNT(DISTINCT kv->>'event') FROM " + table));
                try (ResultSet rs = s.executeQuery("SELECT kv->>'n', mdc->>'request' FROM " + table
                        + " WHERE kv->>'event' = 'event 1517'")) {
                    assertTrue(rs.next(), "row of event 1517");
                    assertEquals("1517", rs.getString(1));
                    assertEquals("r-1517", rs.getString(2));
                }
            }
        } finally {
            if (context != null) {
                context.stop();
                context = null;
            }
            awaitAnswer();
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(URL, props);
    }

    private static void assumeReachable() {
        try (Connection c = connect()) {
            c.isValid(3);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at " + URL + " (" + e.getMessage() + ")";
            if ("1".equals(System.getenv("RINGLOG_REQUIRE_DB"))) {
                Assertions.fail(message + " and RINGLOG_REQUIRE_DB=1");
            }
            System.err.println("[SKIPPED] " + message + ": skipped; set RINGLOG_REQUIRE_DB=1 to fail instead");
            Assumptions.abort(message + ": skipped; set RINGLOG_REQUIRE_DB=1 to fail instead");
        }
    }

    private static void restartPostgres() throws Exception {
        try {
            run("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart");
        } finally {
            awaitAnswer();
        }
    }

    /** Starts the server if it is down, and waits (at most 60 s) until it answers: the server is shared. */
    private static void awaitAnswer() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection c = connect()) {
                if (c.isValid(3)) {
                    return;
                }
            } catch (SQLException down) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("PostgreSQL did not answer within 60 s", down);
                }
                new ProcessBuilder(List.of("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"))
                        .redirectErrorStream(true).redirectOutput(File.createTempFile("pg-start", ".log")).start()
                        .waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    private static void run(String... command) throws Exception {
        // Output to a file, not a pipe: a server started by the command may keep a pipe open.
        File output = File.createTempFile("ringlog-server", ".log");
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(output).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> String.join(" ", command) + " did not finish");
            assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ": " + read(output));
        } finally {
            output.delete();
        }
    }

    private static String read(File file) {
        try {
            return Files.readString(file.toPath());
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
