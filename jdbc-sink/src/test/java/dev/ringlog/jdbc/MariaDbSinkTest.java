package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;

/** The sink contract on the MariaDB server ({@code RINGLOG_MARIADB_URL}). */
class MariaDbSinkTest extends SinkContractTest {

    private final AtomicLong sinkConnectionId = new AtomicLong(-1);

    @BeforeAll
    static void reachable() {
        TestDatabases.assumeReachable("MariaDB", TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER);
    }

    @Override
    HikariDataSource newPool(String tag) {
        return TestDatabases.pool(TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER, tag, new Properties());
    }

    @Override
    int eventsPerProducer() {
        return 250_000;
    }

    @Override
    void prepareBreaking(FaultyDataSource faulty, HikariDataSource pool, String tag) {
        faulty.onConnect = c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                sinkConnectionId.set(rs.getLong(1));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** {@code KILL CONNECTION} on the sink's connection from another connection, whatever the sink is doing. */
    @Override
    int breakSinkConnection(FaultyDataSource faulty, String tag) throws Exception {
        try (Connection admin = DriverManager.getConnection(TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER, "");
             Statement s = admin.createStatement()) {
            s.execute("KILL CONNECTION " + sinkConnectionId.get());
            return 1;
        } catch (SQLException unknownThread) {
            return 0; // already gone: the sink is reconnecting
        }
    }
}
