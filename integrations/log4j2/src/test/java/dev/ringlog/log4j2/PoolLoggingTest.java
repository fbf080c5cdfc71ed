package dev.ringlog.log4j2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.EventLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
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
        CompletableFuture<Void> producer;
        try (Connection exclusive = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("logs"), "sa", "");
             Statement s = exclusive.createStatement()) {
            s.execute("SET EXCLUSIVE 1"); // the sink's statements now wait: the ring fills up
            producer = CompletableFuture.runAsync(() -> {
                org.apache.logging.log4j.Logger logger = context.getLogger("test.block");
                for (int i = 0; i < events; i++) {
                    logger.info("blocked run {}", i); // overflow=block: waits for room once the ring is full
                }
            }, runnable -> new Thread(runnable, "producer").start());
            awaitCondition(() -> log.ringRemaining() == 0, "the ring is full");

            // Any thread logging for the pool or the drivers, through SLF4J as they do, returns at once.
            for (String name : List.of("com.zaxxer.hikari.pool.HikariPool", "org.h2.jdbc", "dev.ringlog.jdbc.JdbcSink")) {
                CompletableFuture.runAsync(() -> LoggerFactory.getLogger(name).warn("connection trouble"),
                        runnable -> new Thread(runnable, "pool-like").start()).get(2, TimeUnit.SECONDS);
            }
            // HikariCP's housekeeper (every 200 ms here) logs the pool state at DEBUG, into this appender.
            long own = appender.droppedOwnEvents();
            awaitCondition(() -> appender.droppedOwnEvents() >= own + 3, "the pool's housekeeper keeps logging");
            assertTrue(!producer.isDone(), "the producer is blocked by the full ring");
            s.execute("SET EXCLUSIVE 0");
        }
        producer.get(60, TimeUnit.SECONDS);
        assertTrue(log.flush(Duration.ofSeconds(30)), "flushed");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("logs"), "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id), COUNT(CASE WHEN logger <> 'test.block'"
                     + " THEN 1 END) FROM app_logs")) {
            rs.next();
            assertEquals(events, rs.getLong(1), "rows");
            assertEquals(events, rs.getLong(2), "distinct ids");
            assertEquals(0, rs.getLong(3), "rows of other loggers (the pool's, the drivers')");
        }
        EventLog.Stats stats = log.stats();
        assertEquals(0, stats.dropped(), stats::toString);
        assertEquals(stats.accepted(), stats.written(), stats::toString);
    }

    /** Polls a state that no latch can signal (a ring's fill level, a counter of another thread), for at most 10 s. */
    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "within 10 s: " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
