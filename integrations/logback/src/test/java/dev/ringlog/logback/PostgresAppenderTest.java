package dev.ringlog.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
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
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The appender on the real PostgreSQL server, restarted in the middle of a run. Skipped with a
 * message when nothing answers, failed instead when {@code RINGLOG_REQUIRE_DB=1} (as in jdbc-sink's
 * TestDatabases). Run it under {@code flock /tmp/ringlog-db.lock}: it restarts the shared server.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PostgresAppenderTest {

    private static final String URL = env("RINGLOG_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = env("RINGLOG_PG_USER", "postgres");

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void resetLogback() {
        context.reset();
    }

    @Test
    void writesEveryEventOnceWithTypedJsonAcrossAServerRestart() throws Exception {
        assumeReachable();
        String table = "logback_pg_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
        try {
            context.reset();
            context.getStatusManager().clear();
            context.putProperty("ringlog.test.pgUrl", URL);
            context.putProperty("ringlog.test.pgUser", USER);
            context.putProperty("ringlog.test.table", table);
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(getClass().getResource("/logback-ringlog-postgres.xml"));
            RinglogAppender appender = (RinglogAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("DB");
            assertTrue(appender.isStarted(), "appender started");
            EventLog<?> log = appender.eventLog();

            org.slf4j.Logger logger = LoggerFactory.getLogger("test.pg");
            int events = 2_000;
            for (int i = 0; i < events; i++) {
                if (i == events / 2) {
                    assertTrue(log.flush(Duration.ofSeconds(30)), "first half flushed");
                    restartPostgres(); // the sink's connection dies with the server
                }
                MDC.put("request", "r-" + i);
                logger.atInfo().addKeyValue("n", i).addKeyValue("ok", i % 2 == 0).log("event {}", i);
                MDC.remove("request");
            }
            assertTrue(log.flush(Duration.ofSeconds(90)), "flushed after the restart");

            EventLog.Stats stats = log.stats();
            assertTrue(stats.retries() > 0, () -> "the restart never reached the sink: " + stats);
            assertEquals(events, stats.written(), stats::toString);
            assertEquals(0, stats.dropped() + stats.failed(), stats::toString);
            try (Connection c = connect(); Statement s = c.createStatement()) {
                assertEquals(events, count(s, "SELECT COUNT(*) FROM " + table));
                assertEquals(events, count(s, "SELECT COUNT(DISTINCT id) FROM " + table));
                assertEquals(events, count(s, "SELECT COUNT(DISTINCT message) FROM " + table));
                try (ResultSet rs = s.executeQuery("SELECT kv->>'n', jsonb_typeof(kv->'n'), jsonb_typeof(kv->'ok'),"
                        + " mdc->>'request' FROM " + table + " WHERE message = 'event 1517'")) {
                    assertTrue(rs.next(), "row of event 1517");
                    assertEquals("1517", rs.getString(1));
                    assertEquals("number", rs.getString(2));
                    assertEquals("boolean", rs.getString(3));
                    assertEquals("r-1517", rs.getString(4));
                }
            }
        } finally {
            context.reset();
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
