package dev.ringlog.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import dev.ringlog.EventLog;
import dev.ringlog.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The appender on the real MariaDB server: its DDL (JSON columns, DATETIME(6)), its idempotent insert
 * and a value the strict server rejects. Skipped with a message when nothing answers, failed instead
 * when {@code RINGLOG_REQUIRE_DB=1}.
 */
@Timeout(120)
class MariaDbAppenderTest {

    private static final String URL = TestDatabases.MARIADB_URL;
    private static final String USER = TestDatabases.MARIADB_USER;

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void resetLogback() {
        context.reset();
    }

    @Test
    void writesEachEventOnceWithJsonColumnsAndDeadLettersTheRejectedValue() throws Exception {
        TestDatabases.assumeReachable("MariaDB", URL, USER);
        String table = TestDatabases.uniqueTable("logback_maria_");
        try {
            EventLog<?> log = LogbackConfig.start(context, "logback-ringlog-mariadb.xml", Map.of("ringlog.test.mariadbUrl", URL,
                    "ringlog.test.mariadbUser", USER, "ringlog.test.table", table)).eventLog();

            int events = 1_000;
            for (int i = 0; i < events; i++) {
                MDC.put("request", "r-" + i);
                LoggerFactory.getLogger(i == 500 ? "test.maria." + "x".repeat(300) : "test.maria")
                        .atInfo().addKeyValue("n", i).log("event {}", i);
                MDC.remove("request");
            }
            assertTrue(log.flush(Duration.ofSeconds(60)), "flushed");

            EventLog.Stats stats = log.stats();
            assertEquals(events - 1, stats.written(), stats::toString);
            assertEquals(1, stats.failed(), stats::toString);
            try (Connection c = TestDatabases.connect(URL, USER); Statement s = c.createStatement()) {
                assertEquals(events - 1, TestDatabases.count(s, "SELECT COUNT(DISTINCT id) FROM " + table));
                assertEquals(0, TestDatabases.count(s, "SELECT COUNT(*) FROM " + table + " WHERE message = 'event 500'"));
                try (ResultSet rs = s.executeQuery("SELECT JSON_VALUE(kv, '$.n'), JSON_TYPE(JSON_EXTRACT(kv, '$.n')),"
                        + " JSON_VALUE(mdc, '$.request') FROM " + table + " WHERE message = 'event 517'")) {
                    assertTrue(rs.next(), "row of event 517");
                    assertEquals("517", rs.getString(1));
                    assertEquals("INTEGER", rs.getString(2));
                    assertEquals("r-517", rs.getString(3));
                }
            }
        } finally {
            context.reset();
            TestDatabases.dropTable(URL, USER, table);
        }
    }
}
