package dev.ringlog.log4j2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.EventLog;
import dev.ringlog.testsupport.TestDatabases;
import dev.ringlog.testsupport.PoolLogging;
import dev.ringlog.testsupport.WrittenOnce;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The druid case (alibaba/druid#5414) on Log4j2: the pool's own threads log, through SLF4J and the
 * application's Log4j2, into the appender whose ring is full and blocks. Uses the application's
 * (default) logger context, as HikariCP does.
 */
@Timeout(120)
class PoolLoggingTest {

    @TempDir
    Path dir;

    private LoggerContext context;

    @AfterEach
    void stopLog4j() {
        context.stop(); // releases the manager: drains and closes the log and its pool
    }

    @Test
    void aPoolThatLogsWhileTheRingIsFullDoesNotDeadlock() throws Exception {
        System.setProperty("ringlog.test.dir", dir.toString());
        context = (LoggerContext) LogManager.getContext(false);
        context.setConfigLocation(getClass().getResource("/log4j2-ringlog-block.xml").toURI());
        RinglogAppender appender = context.getConfiguration().getAppender("DB");
        assertTrue(appender != null && appender.isStarted(), "appender DB started");
        EventLog<?> log = appender.eventLog();
        int events = 1_000;
        try (Connection exclusive = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("logs"), "sa", "");
             Statement s = exclusive.createStatement()) {
            // The pool's and the drivers' threads log through SLF4J, as they do, into the application's Log4j2.
            PoolLogging.whileTheRingIsFull(log, s, appender::droppedOwnEvents, () -> {
                org.apache.logging.log4j.Logger logger = context.getLogger("test.block");
                for (int i = 0; i < events; i++) {
                    logger.info("blocked run {}", i); // overflow=block: waits for room once the ring is full
                }
            }, List.of("com.zaxxer.hikari.pool.HikariPool", "org.h2.jdbc", "dev.ringlog.jdbc.JdbcSink"),
                    name -> LoggerFactory.getLogger(name).warn("connection trouble"));
            WrittenOnce.rows(s, "app_logs WHERE logger = 'test.block'", events);
            assertEquals(0, TestDatabases.count(s, "SELECT COUNT(*) FROM app_logs WHERE logger <> 'test.block'"),
                    "rows of other loggers (the pool's, the drivers')");
        }
        WrittenOnce.stats(log.stats());
    }
}
