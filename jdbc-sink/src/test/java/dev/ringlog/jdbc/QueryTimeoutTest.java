package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.RetryPolicy;
import dev.ringlog.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A statement that waits (here: for a table lock another session holds) is cancelled by the query
 * timeout, retried, and everything is written once the lock is gone: the network answers all along,
 * so only the query timeout can end that wait.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QueryTimeoutTest {

    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void cancelsAStatementThatWaitsForALockAndRetriesIt(String db) throws Exception {
        TestServer server = TestServer.reachable(db);
        boolean pg = server.isPostgres();
        String table = "rl_qt_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        try (HikariDataSource pool = server.pool(table);
             Connection locker = TestDatabases.connect(server.url(), server.user());
             Statement lock = locker.createStatement()) {
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(pool).table(table)
                    .queryTimeout(QUERY_TIMEOUT).networkTimeout(Duration.ofSeconds(30)).build();
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("query-timeout-" + db)
                    .overflow(OverflowPolicy.BLOCK).retry(RetryPolicy.backoff(Duration.ofMillis(5), Duration.ofMillis(200)))
                    .shutdownHook(false).start();
            try {
                locker.setAutoCommit(false);
                lock.execute(pg ? "LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE" : "LOCK TABLES " + table + " WRITE");
                long lockedAt = System.nanoTime();
                for (int i = 0; i < 1_000; i++) {
                    assertTrue(log.publish(LogEvent::set, "qt", "a", "q-" + i));
                }
                long firstRetryMs = StalledNetworkTest.millisToFirstRetry(log, lockedAt, Duration.ofSeconds(10));
                EventLog.Stats locked = log.stats();
                System.out.printf("%s: table locked, first retry after %d ms (query timeout %d ms): %s%n",
                        db, firstRetryMs, QUERY_TIMEOUT.toMillis(), locked);
                assertTrue(locked.retries() > 0, () -> "the statement waited 10 s for the lock: " + locked);
                assertTrue(firstRetryMs <= QUERY_TIMEOUT.plus(StalledNetworkTest.SLACK).toMillis(),
                        () -> "first retry " + firstRetryMs + " ms after the lock, query timeout " + QUERY_TIMEOUT);
                assertFalse(log.flush(Duration.ofMillis(500)), "written through a table lock");
                if (pg) {
                    locker.commit();
                } else {
                    lock.execute("UNLOCK TABLES");
                }
                assertTrue(log.flush(Duration.ofSeconds(30)), () -> "not drained after the lock: " + log.stats());
            } finally {
                locker.rollback();
                log.close();
            }
            EventLog.Stats stats = log.stats();
            assertEquals(1_000, stats.written(), () -> "written: " + stats);
            assertEquals(0, stats.failed(), () -> "failed: " + stats);
            assertEquals(1_000, count(pool, "SELECT COUNT(DISTINCT id) FROM " + table));
            assertEquals(1_000, count(pool, "SELECT COUNT(*) FROM " + table));
        } finally {
            server.dropTable(table);
        }
    }

    private static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
