package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The test servers: URLs from {@code RINGLOG_PG_URL} and {@code RINGLOG_MARIADB_URL}; skipped with a
 * message when unreachable, failed instead when {@code RINGLOG_REQUIRE_DB=1}.
 */
final class TestDatabases {

    static final String PG_URL = env("RINGLOG_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = env("RINGLOG_PG_USER", "postgres");
    static final String MARIADB_URL = env("RINGLOG_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
    static final String MARIADB_USER = env("RINGLOG_MARIADB_USER", "root");
    static final boolean REQUIRED = "1".equals(System.getenv("RINGLOG_REQUIRE_DB"));

    private TestDatabases() {
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Skips (or, when required, fails) the calling test if nothing answers at {@code url}. */
    static void assumeReachable(String what, String url, String user) {
        Properties props = new Properties();
        props.setProperty("user", user);
        // pgjdbc counts connectTimeout in seconds, MariaDB Connector/J in milliseconds
        props.setProperty("connectTimeout", url.startsWith("jdbc:postgresql:") ? "5" : "5000");
        try (Connection c = DriverManager.getConnection(url, props)) {
            c.isValid(3);
        } catch (SQLException e) {
            String message = what + " not reachable at " + url + " (" + e.getMessage() + ")";
            if (REQUIRED) {
                Assertions.fail(message + " and RINGLOG_REQUIRE_DB=1");
            }
            String skipped = message + ": skipped; set RINGLOG_REQUIRE_DB=1 to fail instead";
            // Printed as well: an abort in @BeforeAll skips the class with "Tests run: 0" and no reason shown.
            System.err.println("[SKIPPED] " + skipped);
            Assumptions.abort(skipped);
        }
    }

    static HikariDataSource pool(String url, String user, String applicationName, Properties extra) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPoolName("test-" + applicationName);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("ApplicationName", applicationName);
        }
        extra.forEach((k, v) -> config.addDataSourceProperty((String) k, v));
        return new HikariDataSource(config);
    }
}
