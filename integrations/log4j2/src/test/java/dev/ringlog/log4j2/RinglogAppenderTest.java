package dev.ringlog.log4j2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.EventLog;
import dev.ringlog.testsupport.TestDatabases;
import dev.ringlog.testsupport.Producers;
import dev.ringlog.testsupport.WrittenOnce;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.StringMapMessage;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The plugin configured by a real log4j2.xml, writing to a real H2 file database. */
@Timeout(120)
class RinglogAppenderTest {

    @TempDir
    Path dir;

    private LoggerContext context;

    @AfterEach
    void stopLog4j() {
        if (context != null) {
            context.stop();
        }
    }

    private RinglogAppender start(String resource) throws Exception {
        System.setProperty("ringlog.test.dir", dir.toString());
        URI config = getClass().getResource("/" + resource).toURI();
        context = new LoggerContext("ringlog-test", null, config);
        context.start();
        return appender();
    }

    private RinglogAppender appender() {
        RinglogAppender appender = context.getConfiguration().getAppender("DB");
        assertNotNull(appender, "appender DB configured");
        assertTrue(appender.isStarted(), "appender DB started");
        return appender;
    }

    private Connection h2() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("ringlog"), "sa", "");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = h2(); Statement s = c.createStatement()) {
            return TestDatabases.count(s, sql);
        }
    }

    @Test
    void writesEveryEventOnceWhileTheConfigurationIsReloaded() throws Exception {
        RinglogAppender first = start("log4j2-ringlog.xml");
        EventLog<?> log = first.eventLog();
        int threads = 4;
        int perThread = 5_000;
        Marker order = MarkerManager.getMarker("ORDER");
        CompletableFuture<Void> all = Producers.startTogether(threads, producer -> {
            Logger logger = context.getLogger("test.load");
            for (int i = 0; i < perThread; i++) {
                ThreadContext.put("request", "r-" + producer + "-" + i);
                if (i % 100 == 17) {
                    logger.warn(order, "event {}-{}", producer, i, new IllegalStateException("boom " + producer + "-" + i));
                } else if (i % 100 == 18) {
                    logger.info(new StringMapMessage().with("event", producer + "-" + i).with("n", i));
                } else {
                    logger.info("event {}-{}", producer, i);
                }
            }
            ThreadContext.clearMap();
        });
        int reloads = 0;
        while (reloads < 5) { // each reload starts a new configuration, then stops the old one
            context.reconfigure();
            reloads++;
            RinglogAppender current = appender();
            assertNotSame(first, current, "reload " + reloads + " made a new appender");
            assertSame(log, current.eventLog(), "reload " + reloads + " keeps the running log");
        }
        all.get(60, TimeUnit.SECONDS);
        assertTrue(!log.isClosed(), "the log survived " + reloads + " reloads");
        assertTrue(log.flush(Duration.ofSeconds(30)), "flushed");

        try (Connection c = h2(); Statement s = c.createStatement()) {
            WrittenOnce.rows(s, "app_logs WHERE logger = 'test.load'", threads * perThread);
            try (ResultSet rs = s.executeQuery("SELECT level, thread, throwable, mdc, kv, markers FROM app_logs"
                    + " WHERE message = 'event 3-217'")) {
                assertTrue(rs.next(), "row of event 3-217");
                assertEquals("WARN", rs.getString(1));
                assertEquals("producer-3", rs.getString(2));
                String throwable = rs.getString(3);
                assertTrue(throwable.startsWith("java.lang.IllegalStateException: boom 3-217"), throwable);
                assertTrue(throwable.contains("at dev.ringlog.log4j2.RinglogAppenderTest"), throwable);
                assertEquals("{\"request\":\"r-3-217\"}", rs.getString(4));
                assertNull(rs.getString(5));
                assertEquals("ORDER", rs.getString(6));
            }
            try (ResultSet rs = s.executeQuery("SELECT kv, mdc FROM app_logs WHERE kv LIKE '%\"event\":\"1-218\"%'")) {
                assertTrue(rs.next(), "row of the map message 1-218");
                String kv = rs.getString(1);
                assertTrue(kv.contains("\"n\":\"218\"") || kv.contains("\"n\":218"), kv); // StringMapMessage keeps strings
                assertEquals("{\"request\":\"r-1-218\"}", rs.getString(2));
            }
        }
        WrittenOnce.stats(log.stats());

        context.stop();
        context = null;
        assertTrue(log.isClosed(), "the last configuration's stop closes the log");
    }

    @Test
    void dropsWhatTheDriversAndThePoolLogAndDeadLettersTheRejectedValue() throws Exception {
        RinglogAppender appender = start("log4j2-ringlog.xml");
        for (String own : List.of("com.zaxxer.hikari.pool.HikariPool", "org.h2.jdbc", "dev.ringlog.jdbc.JdbcSink")) {
            context.getLogger(own).warn("connection trouble");
        }
        for (int i = 0; i < 100; i++) {
            context.getLogger(i == 50 ? "test.poison." + "x".repeat(300) : "test.poison").info("poison run {}", i);
        }
        EventLog<?> log = appender.eventLog();
        assertTrue(log.flush(Duration.ofSeconds(30)), "flushed");
        assertEquals(3, appender.droppedOwnEvents());
        assertEquals(99, count("SELECT COUNT(*) FROM app_logs WHERE message LIKE 'poison run %'"));
        assertEquals(0, count("SELECT COUNT(*) FROM app_logs WHERE message = 'connection trouble'"));
        assertEquals(1, log.stats().failed(), log.stats()::toString);
    }

    @Test
    void writesTheDeclaredColumnsTypedAndDeadLettersTheEventWhoseValueDoesNotConvert() throws Exception {
        RinglogAppender appender = start("log4j2-ringlog-columns.xml");
        Logger logger = context.getLogger("test.columns");
        int events = 1_000;
        long expectedUsers = 0;
        for (int i = 0; i < events; i++) {
            ThreadContext.put("user", i == 500 ? "u-500" : Integer.toString(i)); // 500: not a BIGINT
            // Log4j2's key-value pairs: a MapMessage's data (StringMapMessage: strings, converted to the column's type).
            logger.info(new StringMapMessage().with("order", i == 600 ? "6x" : Integer.toString(i)) // 600: not a BIGINT
                    .with("amount", Double.toString(i + 0.5)).with("paid", Boolean.toString(i % 2 == 0)));
            expectedUsers += i == 500 || i == 600 ? 0 : i;
        }
        ThreadContext.clearMap();
        EventLog<?> log = appender.eventLog();
        assertTrue(log.flush(Duration.ofSeconds(30)), "flushed");

        assertEquals(events - 2, count("SELECT COUNT(*) FROM app_events"));
        assertEquals(events - 2, count("SELECT COUNT(DISTINCT id) FROM app_events"));
        assertEquals(expectedUsers, count("SELECT SUM(user_id) FROM app_events"));
        assertEquals(expectedUsers, count("SELECT SUM(order_id) FROM app_events"));
        assertEquals(events / 2 - 2, count("SELECT COUNT(*) FROM app_events WHERE paid")); // 500 and 600 were even
        try (Connection c = h2(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT level, user_id, order_id, amount, paid, payload FROM app_events"
                     + " WHERE order_id = 7")) {
            assertTrue(rs.next(), "row of order 7");
            assertEquals("INFO", rs.getString(1));
            assertEquals(7L, rs.getObject(2));
            assertEquals(7L, rs.getObject(3));
            assertEquals(7.5, rs.getObject(4));
            assertEquals(Boolean.FALSE, rs.getObject(5));
            String payload = rs.getString(6);
            assertTrue(payload.startsWith("{\"mdc\":{\"user\":\"7\"},\"kv\":{") && payload.contains("\"order\":\"7\"")
                    && payload.contains("\"amount\":\"7.5\"") && payload.contains("\"paid\":\"false\""), payload);
        }
        assertEquals(2, log.stats().failed(), log.stats()::toString);
    }

    @Test
    void aColumnOfAnUnknownTypeIsReportedNamingTheKeyAndTheValueAndTheAppenderNotBuilt() throws Exception {
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        StatusListener listener = new StatusListener() {
            @Override
            public void log(StatusData data) {
                errors.add(data.getMessage().getFormattedMessage());
            }

            @Override
            public Level getStatusLevel() {
                return Level.ERROR;
            }

            @Override
            public void close() {
            }
        };
        StatusLogger.getLogger().registerListener(listener);
        try {
            System.setProperty("ringlog.test.dir", dir.toString());
            context = new LoggerContext("ringlog-test", null, getClass().getResource("/log4j2-ringlog-bad-column.xml").toURI());
            context.start();
            assertNull(context.getConfiguration().getAppender("DB"), "no appender DB");
        } finally {
            StatusLogger.getLogger().removeListener(listener);
        }
        assertTrue(errors.stream().anyMatch(e -> e.equals("ringlog: appender DB not created: column user_id: type must be"
                + " one of VARCHAR(n) with n in [1, 16383], TEXT, BIGINT, INTEGER, BOOLEAN, DOUBLE for source mdc:user:"
                + " type='BIGNUM'")), errors::toString);
    }

    @Test
    void anAuditEventIsCommittedWhenItsLoggingCallReturns() throws Exception {
        start("log4j2-ringlog-audit.xml");
        Logger logger = context.getLogger("test.audit");
        logger.info("plain event");
        logger.info(MarkerManager.getMarker("AUDIT"), "user {} deleted order {}", "u1", 42);
        // linger is 1 s: the plain event is still waiting for its batch, the audit one was waited for.
        assertEquals(1, count("SELECT COUNT(*) FROM app_logs WHERE message = 'user u1 deleted order 42' AND markers = 'AUDIT'"));
    }

    @Test
    void theReadmeShowsTheConfigurationsTheseTestsRun() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("../../README.md"));
        for (String resource : List.of("log4j2-ringlog.xml", "log4j2-ringlog-columns.xml")) {
            String xml = new String(getClass().getResourceAsStream("/" + resource).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(readme.contains("```xml\n" + xml + "```"), "README.md shows " + resource + " exactly");
        }
    }
}
