package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.LogEvent;
import dev.ringlog.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The COPY batch on a pooled PostgreSQL connection whose backend dies under it. */
class PgCopyBatchTest {

    /**
     * Setting the session's statement timeout on a connection whose backend was killed fails with the
     * connection's error, which is retryable. HikariCP closes its proxy on that error, so resetting
     * auto-commit afterwards throws "Connection is closed" without a SQLState; that one must not replace
     * the first, or the sink dead-letters an event for a lost connection (seen under
     * PostgresConnectionLossTest: 4 of 400,000 events).
     */
    @Test
    void aKilledBackendMakesSettingTheTimeoutFailRetryably() throws Exception {
        TestServer.POSTGRES.assumeReachable();
        try (HikariDataSource pool = TestServer.POSTGRES.pool("copy-killed");
             Connection c = pool.getConnection();
             Connection killer = TestDatabases.connect(TestDatabases.PG_URL, TestDatabases.PG_USER)) {
            c.setAutoCommit(false);
            Batch<LogEvent> batch = PgCopyBatch.openIfPgjdbc(c, "rl_copy_killed", new Redelivery(),
                    StatementLimit.of(c, Dialect.POSTGRESQL));
            long pid;
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                r.next();
                pid = r.getLong(1);
            }
            c.commit();
            try (Statement s = killer.createStatement()) {
                s.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            SQLException failure = assertThrows(SQLException.class, () -> batch.queryTimeout(5));
            assertTrue(SqlFailures.isRetryable(failure), () -> "not retryable: " + failure);
        }
    }
}
