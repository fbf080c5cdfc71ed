package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.RetryPolicy;
import dev.ringlog.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real server faults during a run: PostgreSQL restarted, MariaDB shut down and started again, while
 * four producers publish under {@code BLOCK}. Nothing is lost, nothing duplicated. The servers are
 * shared: run Maven under {@code flock /tmp/ringlog-db.lock}; each test brings its server back in a
 * {@code finally} and waits until it answers.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServerRestartTest {

    static final int PRODUCERS = 4;
    static final int PER_PRODUCER = 25_000;

    @Test
    void losesAndDuplicatesNothingWhenPostgresRestarts() throws Exception {
        TestDatabases.assumeReachable("PostgreSQL", TestDatabases.PG_URL, TestDatabases.PG_USER);
        try {
            runAcross(TestDatabases.PG_URL, TestDatabases.PG_USER,
                    () -> TestDatabases.run("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"));
        } finally {
            TestDatabases.ensurePostgresUp();
        }
    }

    @Test
    void losesAndDuplicatesNothingWhenMariaDbShutsDownAndStarts() throws Exception {
        TestDatabases.assumeReachable("MariaDB", TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER);
        try {
            runAcross(TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER, () -> {
                TestDatabases.run("mariadb-admin", "-h", "127.0.0.1", "-u", "root", "shutdown");
                startMariaDb();
            });
        } finally {
            if (!TestDatabases.answers(TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER)) {
                startMariaDb();
            }
            TestDatabases.awaitAnswer(TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER);
        }
    }

    /**
     * Starts mariadbd once the previous one has exited: {@code --oknodo} would take a server still
     * shutting down for a running one and start nothing.
     */
    private static void startMariaDb() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (TestDatabases.exitCode("start-stop-daemon", "--status", "--exec", "/usr/sbin/mariadbd") == 0) {
            assertTrue(System.nanoTime() < deadline, "mariadbd still running 60 s after shutdown");
            Thread.sleep(100); // a process exiting: nothing to wait on but the next look
        }
        TestDatabases.run("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd");
    }

    /** Publishes from four producers, runs {@code fault} once the sink has committed 10 batches, checks exact counts. */
    private static void runAcross(String url, String user, Fault fault) throws Exception {
        String table = "rl_restart_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        try (HikariDataSource pool = TestServer.pool(url, user, table, new Properties())) {
            FaultyDataSource counting = new FaultyDataSource(pool); // no fault switched on: it counts commits
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(counting).table(table).build())
                    .name("restart").ringSize(16_384).overflow(OverflowPolicy.BLOCK)
                    .retry(RetryPolicy.backoff(Duration.ofMillis(5), Duration.ofMillis(200)))
                    .shutdownHook(false).start();
            long t0 = System.nanoTime();
            try {
                SinkContractTest.publishConcurrently(log, PRODUCERS, PER_PRODUCER, () -> {
                    assertTrue(counting.commits.tryAcquire(10, 60, TimeUnit.SECONDS), "no commits before the fault");
                    fault.run();
                    TestDatabases.awaitAnswer(url, user);
                    return null;
                });
                assertTrue(log.flush(Duration.ofSeconds(90)), () -> "not drained after the restart: " + log.stats());
            } finally {
                log.close();
            }
            EventLog.Stats stats = log.stats();
            System.out.printf("%s restart: %d ms, %s%n", url, (System.nanoTime() - t0) / 1_000_000, stats);
            long total = (long) PRODUCERS * PER_PRODUCER;
            assertTrue(stats.retries() > 0, () -> "the fault never reached the sink: " + stats);
            assertEquals(total, stats.accepted(), () -> "accepted: " + stats);
            assertEquals(total, stats.written(), () -> "written: " + stats);
            assertEquals(0, stats.failed(), () -> "failed: " + stats);
            assertEquals(total, count(url, user, "SELECT COUNT(*) FROM " + table), "rows");
            assertEquals(total, count(url, user, "SELECT COUNT(DISTINCT id) FROM " + table), "distinct ids");
            assertEquals(total, count(url, user, "SELECT COUNT(DISTINCT payload) FROM " + table), "distinct payloads");
        } finally {
            TestDatabases.awaitAnswer(url, user);
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @FunctionalInterface
    private interface Fault {
        void run() throws Exception;
    }

    private static long count(String url, String user, String sql) throws SQLException {
        try (Connection c = TestDatabases.connect(url, user); Statement s = c.createStatement()) {
            return TestDatabases.count(s, sql);
        }
    }
}
