package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.RetryPolicy;
import dev.ringlog.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starvation under repeated connection loss and CPU load (issue 8, case 1): every backend of the
 * sink's pool is terminated every 100 ms while two busy loops keep both cores busy. The sink must make
 * progress in every fault-free window: a fresh, validated connection after each failure.
 */
class PostgresConnectionLossTest {

    static final int PRODUCERS = 2;
    static final int PER_PRODUCER = 200_000;
    static final Duration BUDGET = Duration.ofSeconds(120);

    @BeforeAll
    static void reachable() {
        TestDatabases.assumeReachable("PostgreSQL", TestDatabases.PG_URL, TestDatabases.PG_USER);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void writesEverythingWhileItsBackendsAreKilledEvery100msOnBusyCores() throws Exception {
        String tag = "rl_starve_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        List<Process> busy = new ArrayList<>();
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
        AtomicInteger killed = new AtomicInteger();
        EventLog<LogEvent> log = null;
        try (HikariDataSource pool = defaultSizedPool(tag);
             Connection admin = DriverManager.getConnection(TestDatabases.PG_URL, TestDatabases.PG_USER, "");
             PreparedStatement kill = admin.prepareStatement("SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid))"
                     + " FROM pg_stat_activity WHERE application_name = ?")) {
            kill.setString(1, tag);
            log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(pool).table(tag).build()).name("starve")
                    .ringSize(16_384).maxBatchSize(1_000).overflow(OverflowPolicy.BLOCK)
                    .retry(RetryPolicy.backoff(Duration.ofMillis(5), Duration.ofMillis(200)))
                    .shutdownTimeout(Duration.ofSeconds(5)).shutdownHook(false).start();
            for (int i = 0; i < 2; i++) {
                busy.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            killer.scheduleWithFixedDelay(() -> {
                try (ResultSet rs = kill.executeQuery()) {
                    rs.next();
                    killed.addAndGet(rs.getInt(1));
                } catch (SQLException e) {
                    throw new IllegalStateException("the killer's own connection failed", e);
                }
            }, 100, 100, TimeUnit.MILLISECONDS);

            long t0 = System.nanoTime();
            long deadline = t0 + BUDGET.toNanos();
            List<Future<?>> running = new ArrayList<>();
            EventLog<LogEvent> l = log;
            for (int p = 0; p < PRODUCERS; p++) {
                String prefix = "p" + p + "-";
                running.add(producers.submit(() -> {
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        assertTrue(l.publish(LogEvent::set, "starve", "a", prefix + i), "publish refused");
                    }
                }));
            }
            try {
                for (Future<?> f : running) {
                    f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                assertTrue(log.flush(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))), "not drained");
            } catch (TimeoutException | AssertionError e) {
                EventLog.Stats s = log.stats();
                fail("not all written within " + BUDGET.toSeconds() + " s with both cores busy and backends killed every"
                        + " 100 ms (" + killed.get() + " killed): " + s.written() + " of " + PRODUCERS * PER_PRODUCER
                        + " written, " + s.retries() + " retries: " + s);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            killer.shutdownNow();
            killer.awaitTermination(10, TimeUnit.SECONDS);
            log.close();
            EventLog.Stats stats = log.stats();
            System.out.printf("starvation: %d events in %d ms, %d backends killed, %s%n",
                    stats.written(), ms, killed.get(), stats);
            long total = (long) PRODUCERS * PER_PRODUCER;
            assertEquals(total, stats.accepted(), () -> "accepted: " + stats);
            assertEquals(total, stats.written(), () -> "written: " + stats);
            assertEquals(0, stats.failed(), () -> "failed: " + stats);
            assertEquals(total, count(pool, "SELECT COUNT(*) FROM " + tag), "rows");
            assertEquals(total, count(pool, "SELECT COUNT(DISTINCT id) FROM " + tag), "distinct ids");
            assertEquals(total, count(pool, "SELECT COUNT(DISTINCT payload) FROM " + tag), "distinct payloads");
            assertTrue(killed.get() >= 10, () -> "backends killed: " + killed.get());
        } finally {
            killer.shutdownNow();
            for (Process p : busy) {
                p.destroyForcibly();
            }
            if (log != null) {
                log.close();
            }
            producers.shutdownNow();
            try (Connection c = DriverManager.getConnection(TestDatabases.PG_URL, TestDatabases.PG_USER, "");
                 Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + tag);
            }
        }
    }

    /**
     * A pool of HikariCP's default size: 10 connections, all kept open, 9 of them idle beside the sink's.
     * The killer ends the idle ones too, and the pool refills with connections too young to be checked
     * on borrow (HikariCP skips the check within 500 ms of last use): what a service's pool looks like
     * when its database fails over or a proxy drops its sessions.
     */
    private static HikariDataSource defaultSizedPool(String tag) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabases.PG_URL);
        config.setUsername(TestDatabases.PG_USER);
        config.setPoolName("test-" + tag);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("ApplicationName", tag);
        return new HikariDataSource(config);
    }

    private static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
