package dev.ringlog.bench;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The connection factory of the Log4j2 JDBC appender in {@link EndToEndBenchmark} (its
 * {@code <ConnectionFactory class=... method="getConnection"/>}): hands out the benchmark's HikariCP
 * connections as they are, as every other system gets them. (It used to wrap each connection and
 * statement in reflection proxies to count committed rows: two reflective calls per row that no other
 * system paid. The benchmark now learns that the last row is in from the table itself.)
 */
public final class Log4jConnections {

    private static volatile DataSource dataSource;

    private Log4jConnections() {
    }

    static void use(DataSource pool) {
        dataSource = pool;
    }

    /** Called by Log4j2 on its appender thread, once per buffer flush. */
    public static Connection getConnection() throws SQLException {
        DataSource pool = dataSource;
        if (pool == null) {
            throw new SQLException("Log4jConnections.use(pool) was not called");
        }
        return pool.getConnection();
    }
}
