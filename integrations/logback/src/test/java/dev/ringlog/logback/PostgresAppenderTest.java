package dev.ringlog.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import dev.ringlog.EventLog;
import dev.ringlog.testsupport.TestDatabases;
import dev.ringlog.testsupport.WrittenOnce;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
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

    private static final String URL = TestDatabases.PG_URL;
    private static final String USER = TestDatabases.PG_USER;

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void resetLogback() {
        context.reset();
    }

    private EventLog<?> start(String resource, String table) throws Exception {
        return LogbackConfig.start(context, resource,
                Map.of("ringlog.test.pgUrl", URL, "ringlog.test.pgUser", USER, "ringlog.test.table", table)).eventLog();
    }

    @Test
    void writesTheDeclaredColumnsTypedAsJsonbBigintAndBoolean() throws Exception {
        TestDatabases.assumeReachable("PostgreSQL", URL, USER);
        String table = TestDatabases.uniqueTable("logback_pg_cols_");
        try {
            EventLog<?> log = start("logback-ringlog-postgres-columns.xml", table);
            org.slf4j.Logger logger = LoggerFactory.getLogger("test.pg.columns");
            int events = 500;
            for (int i = 0; i < events; i++) {
                MDC.put("user", i == 250 ? "u-250" : Integer.toString(i)); // 250: not a BIGINT
                logger.atInfo().addKeyValue("paid", i % 2 == 0).addKeyValue("n", i).log("order {}", i);
                MDC.remove("user");
            }
            assertTrue(log.flush(Duration.ofSeconds(30)), "flushed");
            assertEquals(1, log.stats().failed(), log.stats()::toString);
            try (Connection c = TestDatabases.connect(URL, USER); Statement s = c.createStatement()) {
                assertEquals(events - 1, TestDatabases.count(s, "SELECT COUNT(*) FROM " + table));
                assertEquals((long) events * (events - 1) / 2 - 250, TestDatabases.count(s, "SELECT SUM(user_id) FROM " + table));
                assertEquals(events / 2 - 1, TestDatabases.count(s, "SELECT COUNT(*) FROM " + table + " WHERE paid"));
                try (ResultSet rs = s.executeQuery("SELECT pg_typeof(user_id)::text, pg_typeof(payload)::text,"
                        + " jsonb_typeof(payload->'kv'->'n'), payload->'mdc'->>'user', jsonb_typeof(payload->'kv'->'paid')"
                        + " FROM " + table + " WHERE message = 'order 17'")) {
                    assertTrue(rs.next(), "row of order 17");
                    assertEquals("bigint", rs.getString(1));
                    assertEquals("jsonb", rs.getString(2));
                    assertEquals("number", rs.getString(3));
                    assertEquals("17", rs.getString(4));
                    assertEquals("boolean", rs.getString(5));
                }
            }
        } finally {
            context.reset();
            TestDatabases.dropTable(URL, USER, table);
        }
    }

    @Test
    void writesEveryEventOnceWithTypedJsonAcrossAServerRestart() throws Exception {
        TestDatabases.assumeReachable("PostgreSQL", URL, USER);
        String table = TestDatabases.uniqueTable("logback_pg_");
        try {
            EventLog<?> log = start("logback-ringlog-postgres.xml", table);

            org.slf4j.Logger logger = LoggerFactory.getLogger("test.pg");
            int events = 2_000;
            for (int i = 0; i < events; i++) {
                if (i == events / 2) {
                    assertTrue(log.flush(Duration.ofSeconds(30)), "first half flushed");
                    TestDatabases.restartPostgres(); // the sink's connection dies with the server
                }
                MDC.put("request", "r-" + i);
                logger.atInfo().addKeyValue("n", i).addKeyValue("ok", i % 2 == 0).log("event {}", i);
                MDC.remove("request");
            }
            assertTrue(log.flush(Duration.ofSeconds(90)), "flushed after the restart");

            WrittenOnce.acrossRetries(log.stats(), events);
            try (Connection c = TestDatabases.connect(URL, USER); Statement s = c.createStatement()) {
                WrittenOnce.rows(s, table, events, "message");
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
            TestDatabases.ensurePostgresUp();
            TestDatabases.dropTable(URL, USER, table);
        }
    }
}
