package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;

/** The sink contract on the PostgreSQL server ({@code RINGLOG_PG_URL}). */
class PostgresSinkTest extends SinkContractTest {

    @BeforeAll
    static void reachable() {
        TestDatabases.assumeReachable("PostgreSQL", TestDatabases.PG_URL, TestDatabases.PG_USER);
    }

    @Override
    HikariDataSource newPool(String tag) {
        return TestDatabases.pool(TestDatabases.PG_URL, TestDatabases.PG_USER, tag, new Properties());
    }

    @Override
    void prepareBreaking(FaultyDataSource faulty, HikariDataSource pool, String tag) {
        // The sink's connections carry application_name = tag; the killer finds them by it.
    }

    /** Terminates the sink's backends from another connection, as an operator or a failover would. */
    @Override
    int breakSinkConnection(FaultyDataSource faulty, String tag) throws Exception {
        try (Connection admin = java.sql.DriverManager.getConnection(TestDatabases.PG_URL, TestDatabases.PG_USER, "");
             PreparedStatement ps = admin.prepareStatement("SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid, 5000))"
                     + " FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, tag);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
