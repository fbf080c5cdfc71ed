package dev.ringlog.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The connection factory of the Log4j2 JDBC appender in {@link EndToEndBenchmark} (its
 * {@code <ConnectionFactory class=... method="getConnection"/>}): hands out connections of the
 * benchmark's HikariCP pool and counts the rows they commit, so that the benchmark can wait until
 * every event it logged is in the table without polling the table.
 */
public final class Log4jConnections {

    private static volatile DataSource dataSource;
    private static final AtomicLong committedRows = new AtomicLong();

    private Log4jConnections() {
    }

    static void use(DataSource pool) {
        dataSource = pool;
        committedRows.set(0);
    }

    static long committedRows() {
        return committedRows.get();
    }

    static void resetCount() {
        committedRows.set(0);
    }

    /** Called by Log4j2 on its appender thread, once per buffer flush. */
    public static Connection getConnection() throws SQLException {
        DataSource pool = dataSource;
        if (pool == null) {
            throw new SQLException("Log4jConnections.use(pool) was not called");
        }
        Connection target = pool.getConnection();
        long[] batched = new long[1]; // rows added since the last commit; the appender uses a connection from one thread
        return SlowCommitDataSource.proxy(Connection.class, target, (method, args) -> {
            switch (method.getName()) {
                case "prepareStatement" -> {
                    PreparedStatement ps = (PreparedStatement) SlowCommitDataSource.invoke(method, target, args);
                    return SlowCommitDataSource.proxy(PreparedStatement.class, ps, (m, a) -> {
                        if (m.getName().equals("addBatch") && a == null) {
                            batched[0]++;
                        } else if (m.getName().equals("executeUpdate") && a == null) {
                            batched[0]++;
                        }
                        return SlowCommitDataSource.invoke(m, ps, a);
                    });
                }
                case "commit" -> {
                    Object r = SlowCommitDataSource.invoke(method, target, args);
                    committedRows.addAndGet(batched[0]);
                    batched[0] = 0;
                    return r;
                }
                case "rollback", "close" -> batched[0] = 0;
                default -> {
                }
            }
            return SlowCommitDataSource.invoke(method, target, args);
        });
    }
}
