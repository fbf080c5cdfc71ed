package dev.ringlog.spring.web;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL test server with the rules of jdbc-sink's {@code TestDatabases}: {@code RINGLOG_PG_URL}
 * and {@code RINGLOG_PG_USER}, skipped with a message when it does not answer, failed instead with
 * {@code RINGLOG_REQUIRE_DB=1}. Not that class from jdbc-sink's test jar: the examples depend on this
 * module, and {@code mvn -pl examples -am compile exec:java} (the README's demo command) cannot resolve a
 * sibling's test jar at the compile phase on Maven 3.8, which exec:java would ask of this module.
 */
final class PostgresServer {

    static final String URL = env("RINGLOG_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("RINGLOG_PG_USER", "postgres");

    private PostgresServer() {
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A plain connection, giving up after 5 s when nothing answers. */
    static Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(URL, props);
    }

    /** Skips (or, with RINGLOG_REQUIRE_DB=1, fails) the calling test if the server does not answer. */
    static void assumeReachable() {
        try (Connection c = connect()) {
            c.isValid(3);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at " + URL + " (" + e.getMessage() + ")";
            if ("1".equals(System.getenv("RINGLOG_REQUIRE_DB"))) {
                Assertions.fail(message + " and RINGLOG_REQUIRE_DB=1");
            }
            System.err.println("[SKIPPED] " + message); // an abort in @BeforeAll shows no reason otherwise
            Assumptions.abort(message + ": skipped; set RINGLOG_REQUIRE_DB=1 to fail instead");
        }
    }
}
