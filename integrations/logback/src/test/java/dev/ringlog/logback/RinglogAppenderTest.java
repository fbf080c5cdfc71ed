package dev.ringlog.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import dev.ringlog.EventLog;
import dev.ringlog.testsupport.TestDatabases;
import dev.ringlog.testsupport.Await;
import dev.ringlog.testsupport.PoolLogging;
import dev.ringlog.testsupport.Producers;
import dev.ringlog.testsupport.WrittenOnce;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/** The appender configured by real logback.xml files, writing to real H2 file databases. */
@Timeout(120)
class RinglogAppenderTest {

    @TempDir
    Path dir;

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void resetLogback() {
        context.reset(); // stops the appender: drains and closes its log and pool
    }

    /** Configures the application's Logback from {@code resource}, its databases in the test's directory. */
    private RinglogAppender configure(String resource) throws Exception {
        return LogbackConfig.start(context, resource, Map.of("ringlog.test.dir", dir.toString()));
    }

    private List<String> errors() {
        return LogbackConfig.errors(context);
    }

    private Connection h2(String file) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve(file), "sa", "");
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return TestDatabases.count(s, sql);
        }
    }

    @Test
    void writesEveryEventOnceWithItsMdcKeyValuesThrowableAndMarkers() throws Exception {
        RinglogAppender appender = configure("logback-ringlog.xml");
        EventLog<?> log = appender.eventLog();
        int threads = 4;
        int perThread = 5_000;
        Marker order = MarkerFactory.getMarker("ORDER");
        Producers.startTogether(threads, producer -> {
            org.slf4j.Logger logger = LoggerFactory.getLogger("test.load");
            for (int i = 0; i < perThread; i++) {
                MDC.put("request", "r-" + producer + "-" + i);
                try {
                    if (i % 100 == 17) {
                        logger.atWarn().addMarker(order).addKeyValue("n", i).addKeyValue("ok", true)
                                .addKeyValue("who", "u\"" + producer)
                                .setCause(new IllegalStateException("boom " + producer + "-" + i))
                                .log("event {}-{}", producer, i);
                    } else {
                        logger.info("event {}-{}", producer, i);
                    }
                } finally {
                    MDC.remove("request");
                }
            }
        }).get(60, TimeUnit.SECONDS);
        assertTrue(log.flush(java.time.Duration.ofSeconds(30)), "flushed");

        try (Connection c = h2("ringlog"); Statement st = c.createStatement()) {
            WrittenOnce.rows(st, "app_logs WHERE logger = 'test.load'", threads * perThread);
            assertEquals(0, count(c, "SELECT COUNT(*) FROM app_logs WHERE logger LIKE 'com.zaxxer.hikari%'"
                    + " OR logger LIKE 'org.h2%' OR logger LIKE 'dev.ringlog%'"));
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT level, thread, message, throwable, mdc, kv, markers FROM app_logs"
                         + " WHERE message = 'event 3-217'")) {
                assertTrue(rs.next(), "row of event 3-217");
                assertEquals("WARN", rs.getString(1));
                assertEquals("producer-3", rs.getString(2));
                assertEquals("event 3-217", rs.getString(3));
                String throwable = rs.getString(4);
                assertTrue(throwable.startsWith("java.lang.IllegalStateException: boom 3-217"), throwable);
                assertTrue(throwable.contains("at dev.ringlog.logback.RinglogAppenderTest"), throwable);
                assertEquals("{\"request\":\"r-3-217\"}", rs.getString(5));
                assertEquals("{\"n\":217,\"ok\":true,\"who\":\"u\\\"3\"}", rs.getString(6));
                assertEquals("ORDER", rs.getString(7));
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT level, throwable, mdc, kv, markers FROM app_logs"
                         + " WHERE message = 'event 2-5'")) {
                assertTrue(rs.next(), "row of event 2-5");
                assertEquals("INFO", rs.getString(1));
                assertEquals(null, rs.getString(2));
                assertEquals("{\"request\":\"r-2-5\"}", rs.getString(3));
                assertEquals(null, rs.getString(4));
                assertEquals(null, rs.getString(5));
            }
        }
        WrittenOnce.stats(log.stats());
        assertEquals(List.of(), errors());
    }

    @Test
    void deadLettersTheValueTheColumnRejectsAndWritesTheRest() throws Exception {
        RinglogAppender appender = configure("logback-ringlog.xml");
        String tooLong = "test.poison." + "x".repeat(300); // the logger column is VARCHAR(255)
        for (int i = 0; i < 100; i++) {
            LoggerFactory.getLogger(i == 50 ? tooLong : "test.poison").info("poison run {}", i);
        }
        EventLog<?> log = appender.eventLog();
        assertTrue(log.flush(java.time.Duration.ofSeconds(30)), "flushed");

        try (Connection c = h2("ringlog")) {
            assertEquals(99, count(c, "SELECT COUNT(*) FROM app_logs WHERE message LIKE 'poison run %'"));
            assertEquals(0, count(c, "SELECT COUNT(*) FROM app_logs WHERE message = 'poison run 50'"));
        }
        assertEquals(1, log.stats().failed(), log.stats()::toString);
        List<String> errors = errors();
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains("event not written") && errors.get(0).contains("logger=" + tooLong)
                && errors.get(0).contains("22001"), errors.get(0));
    }

    @Test
    void writesTheDeclaredColumnsTypedAndDeadLettersTheEventWhoseValueDoesNotConvert() throws Exception {
        RinglogAppender appender = configure("logback-ringlog-columns.xml");
        org.slf4j.Logger logger = LoggerFactory.getLogger("test.columns");
        int events = 1_000;
        long expectedUsers = 0;
        for (int i = 0; i < events; i++) {
            MDC.put("user", i == 500 ? "u-500" : Integer.toString(i)); // 500: not a BIGINT
            try {
                logger.atInfo().addKeyValue("order", i == 600 ? "6x" : (Object) (long) i) // 600: not a BIGINT
                        .addKeyValue("amount", i + 0.5).addKeyValue("paid", i % 2 == 0).log("order {}", i);
            } finally {
                MDC.remove("user");
            }
            expectedUsers += i == 500 || i == 600 ? 0 : i;
        }
        EventLog<?> log = appender.eventLog();
        assertTrue(log.flush(java.time.Duration.ofSeconds(30)), "flushed");

        try (Connection c = h2("ringlog"); Statement s = c.createStatement()) {
            assertEquals(events - 2, count(c, "SELECT COUNT(*) FROM app_events"));
            assertEquals(events - 2, count(c, "SELECT COUNT(DISTINCT id) FROM app_events"));
            assertEquals(expectedUsers, count(c, "SELECT SUM(user_id) FROM app_events"));
            assertEquals(0, count(c, "SELECT COUNT(*) FROM app_events WHERE message IN ('order 500', 'order 600')"));
            try (ResultSet rs = s.executeQuery("SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_NAME = 'APP_EVENTS' ORDER BY ORDINAL_POSITION")) {
                List<String> columns = new ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString(1) + " " + rs.getString(2));
                }
                assertEquals(List.of("ID BIGINT", "TS TIMESTAMP", "LEVEL CHARACTER VARYING", "LOGGER CHARACTER VARYING",
                        "MESSAGE CHARACTER LARGE OBJECT", "USER_ID BIGINT", "ORDER_ID BIGINT", "AMOUNT DOUBLE PRECISION",
                        "PAID BOOLEAN", "PAYLOAD CHARACTER LARGE OBJECT"), columns);
            }
            try (ResultSet rs = s.executeQuery("SELECT level, user_id, order_id, amount, paid, payload FROM app_events"
                    + " WHERE message = 'order 7'")) {
                assertTrue(rs.next(), "row of order 7");
                assertEquals("INFO", rs.getString(1));
                assertEquals(7L, rs.getObject(2));
                assertEquals(7L, rs.getObject(3));
                assertEquals(7.5, rs.getObject(4));
                assertEquals(Boolean.FALSE, rs.getObject(5));
                assertEquals("{\"mdc\":{\"user\":\"7\"},\"kv\":{\"order\":7,\"amount\":7.5,\"paid\":false}}", rs.getString(6));
            }
        }
        assertEquals(2, log.stats().failed(), log.stats()::toString);
        List<String> errors = errors();
        assertEquals(2, errors.size(), errors::toString);
        for (String column : List.of("column user_id (BIGINT, from mdc:user)", "column order_id (BIGINT, from kv:order)")) {
            assertTrue(errors.stream().anyMatch(e -> e.contains("event not written") && e.contains(column) && e.contains("22018")),
                    () -> column + " in " + errors);
        }
        assertTrue(errors.stream().noneMatch(e -> e.contains("u-500") || e.contains("6x")), "no value in the messages: " + errors);
    }

    @Test
    void aColumnOfAnUnknownTypeFailsTheStartNamingTheKeyAndTheValue() throws Exception {
        RinglogAppender appender = LogbackConfig.load(context, "logback-ringlog-bad-column.xml",
                Map.of("ringlog.test.dir", dir.toString()));
        assertTrue(!appender.isStarted(), "not started");
        assertEquals(List.of("ringlog: appender [DB] not started: column user_id: type must be one of VARCHAR(n) with n in"
                + " [1, 16383], TEXT, BIGINT, INTEGER, BOOLEAN, DOUBLE for source mdc:user: type='BIGNUM'"
                + " / java.lang.IllegalArgumentException: column user_id: type must be one of VARCHAR(n) with n in"
                + " [1, 16383], TEXT, BIGINT, INTEGER, BOOLEAN, DOUBLE for source mdc:user: type='BIGNUM'"), errors());
    }

    /**
     * Logback reconfigures by {@code reset()} (every appender stopped: ringlog's drains its log) and then a
     * new configuration (a new appender, a new log), as its {@code scan} task and a JMX reload do. The log
     * restarts cleanly: every event a log accepted is written once, across the restarts. What the
     * application logs between the reset and the new configuration finds no appender: Logback's own gap,
     * the same for every appender.
     */
    @Test
    void aReloadRestartsTheLogWritingEveryAcceptedEventOnce() throws Exception {
        RinglogAppender appender = configure("logback-ringlog.xml");
        List<EventLog<?>> logs = new ArrayList<>(List.of(appender.eventLog()));
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong logged = new java.util.concurrent.atomic.AtomicLong();
        CompletableFuture<Void> producers = Producers.startTogether(2, producer -> {
            org.slf4j.Logger logger = LoggerFactory.getLogger("test.reload");
            while (running.get()) {
                long n = logged.incrementAndGet();
                logger.info("reload run {}", n);
                if (n % 64 == 0) {
                    LockSupport.parkNanos(100_000); // pacing, so the drains at each reload stay short
                }
            }
        });
        int reloads = 5;
        for (int i = 0; i < reloads; i++) {
            long before = logged.get();
            Await.until(() -> logged.get() >= before + 2_000, "the producers log between reloads");
            // What ReconfigureOnChangeTask does: reset (stop everything), then configure again.
            RinglogAppender current = configure("logback-ringlog.xml");
            assertTrue(logs.get(logs.size() - 1).isClosed(), "the previous appender's log was drained and closed");
            logs.add(current.eventLog());
        }
        long before = logged.get();
        Await.until(() -> logged.get() >= before + 2_000, "the producers log after the last reload");
        running.set(false);
        producers.get(60, TimeUnit.SECONDS);
        context.reset();

        long accepted = 0;
        for (EventLog<?> l : logs) {
            EventLog.Stats s = l.stats();
            assertTrue(l.isClosed(), s::toString);
            assertTrue(s.accepted() > 0, () -> "every log took events: " + s);
            assertEquals(s.accepted(), s.written(), () -> "a log wrote all it accepted: " + s);
            assertEquals(0, s.failed(), s::toString);
            accepted += s.accepted();
        }
        try (Connection c = h2("ringlog"); Statement s = c.createStatement()) {
            WrittenOnce.rows(s, "app_logs WHERE logger = 'test.reload'", accepted, "message");
        }
        assertTrue(accepted <= logged.get(), accepted + " of " + logged.get()); // the rest: dropped (ring full, counted) or in Logback's gap
    }

    @Test
    void anAuditEventIsCommittedWhenItsLoggingCallReturns() throws Exception {
        configure("logback-ringlog-audit.xml");
        org.slf4j.Logger logger = LoggerFactory.getLogger("test.audit");
        Marker audit = MarkerFactory.getMarker("AUDIT");
        try (Connection c = h2("ringlog")) {
            logger.info("plain event");
            logger.info(audit, "user {} deleted order {}", "u1", 42);
            // linger is 1 s: the plain event is still waiting for its batch, the audit one was waited for.
            assertEquals(1, count(c, "SELECT COUNT(*) FROM app_logs WHERE message = 'user u1 deleted order 42'"
                    + " AND markers = 'AUDIT'"));
        }
        LoggerFactory.getLogger("test.audit." + "x".repeat(300)).info(audit, "rejected audit");
        List<String> errors = errors();
        assertTrue(errors.stream().anyMatch(e -> e.contains("AUDIT event of test.audit.xxx") && e.contains("not written")),
                errors::toString);
    }

    @Test
    void aPoolThatLogsWhileTheRingIsFullDoesNotDeadlock() throws Exception {
        RinglogAppender appender = configure("logback-ringlog-block.xml");
        EventLog<?> log = appender.eventLog();
        int events = 1_000;
        try (Connection exclusive = h2("logs"); Statement s = exclusive.createStatement()) {
            PoolLogging.whileTheRingIsFull(log, s, appender::droppedOwnEvents, () -> {
                org.slf4j.Logger logger = LoggerFactory.getLogger("test.block");
                for (int i = 0; i < events; i++) {
                    logger.info("blocked run {}", i); // overflow=block: waits for room once the ring is full
                }
            }, List.of("com.zaxxer.hikari.pool.HikariPool", "org.h2.jdbc", "org.postgresql.Driver",
                    "org.mariadb.jdbc.client", "dev.ringlog.jdbc.JdbcSink"),
                    name -> LoggerFactory.getLogger(name).warn("connection trouble"));
            WrittenOnce.rows(s, "app_logs WHERE logger = 'test.block'", events);
            assertEquals(0, count(exclusive, "SELECT COUNT(*) FROM app_logs WHERE logger <> 'test.block'"));
        }
        WrittenOnce.stats(log.stats());
    }

    @Test
    void theReadmeShowsTheConfigurationsTheseTestsRun() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("../../README.md"));
        for (String resource : List.of("logback-ringlog.xml", "logback-ringlog-block.xml", "logback-ringlog-columns.xml")) {
            String xml = new String(getClass().getResourceAsStream("/" + resource).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(readme.contains("```xml\n" + xml + "```"), "README.md shows " + resource + " exactly");
        }
    }
}
