package dev.ringlog.log4j2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.EventLog;
import dev.ringlog.testsupport.TestDatabases;
import dev.ringlog.testsupport.WrittenOnce;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
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

    private static final String URL = TestDatabases.PG_URL;
    private static final String USER = TestDatabases.PG_USER;

    private LoggerContext context;

    @AfterEach
    void stopLog4j() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void writesEveryEventOnceAcrossAServerRestart() throws Exception {
        TestDatabases.assumeReachable("PostgreSQL", URL, USER);
        String table = TestDatabases.uniqueTable("log4j2_pg_");
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
                    TestDatabases.restartPostgres(); // the sink's connection dies with the server
                }
                ThreadContext.put("request", "r-" + i);
                logger.info(new StringMapMessage().with("event", "event " + i).with("n", i));
                ThreadContext.remove("request");
            }
            assertTrue(log.flush(Duration.ofSeconds(90)), "flushed after the restart");

            WrittenOnce.acrossRetries(log.stats(), events);
            try (Connection c = TestDatabases.connect(URL, USER); Statement s = c.createStatement()) {
                WrittenOnce.rows(s, table, events, "kv->>'event'");
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
            TestDatabases.ensurePostgresUp();
            TestDatabases.dropTable(URL, USER, table);
        }
    }
}
