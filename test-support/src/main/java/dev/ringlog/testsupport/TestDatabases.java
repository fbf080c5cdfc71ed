package dev.ringlog.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The test servers: URLs from {@code RINGLOG_PG_URL} and {@code RINGLOG_MARIADB_URL}; skipped with a
 * message when unreachable, failed instead when {@code RINGLOG_REQUIRE_DB=1}; and the control of the
 * PostgreSQL server and the commands for tests that restart a server. Used by the tests of jdbc-sink,
 * of the Logback and Log4j2 appenders and of the Spring Boot starter, which bring JUnit and the JDBC
 * drivers themselves: JUnit is optional here and the drivers are found by {@link DriverManager}.
 */
public final class TestDatabases {

    public static final String PG_URL = env("RINGLOG_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = env("RINGLOG_PG_USER", "postgres");
    public static final String MARIADB_URL = env("RINGLOG_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
    public static final String MARIADB_USER = env("RINGLOG_MARIADB_USER", "root");
    public static final boolean REQUIRED = "1".equals(System.getenv("RINGLOG_REQUIRE_DB"));

    private TestDatabases() {
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A plain connection (no pool), giving up after 5 s when nothing answers. */
    public static Connection connect(String url, String user) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        // pgjdbc counts connectTimeout in seconds, MariaDB Connector/J in milliseconds
        props.setProperty("connectTimeout", url.startsWith("jdbc:postgresql:") ? "5" : "5000");
        return DriverManager.getConnection(url, props);
    }

    /** The first column of the first row of {@code sql}: a count. */
    public static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A table name of the test's own on a shared server: {@code prefix} and a random suffix. */
    public static String uniqueTable(String prefix) {
        return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
    }

    /** Drops the test's own {@code table}, if it is there. */
    public static void dropTable(String url, String user, String table) throws SQLException {
        try (Connection c = connect(url, user); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    /** Skips (or, when required, fails) the calling test if nothing answers at {@code url}. */
    public static void assumeReachable(String what, String url, String user) {
        try (Connection c = connect(url, user)) {
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

    /** Restarts the PostgreSQL server, and makes sure it answers again whatever happened. */
    public static void restartPostgres() throws Exception {
        try {
            run("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart");
        } finally {
            ensurePostgresUp();
        }
    }

    /** Starts the PostgreSQL server if it does not answer, then waits until it does: the server is shared. */
    public static void ensurePostgresUp() throws Exception {
        if (!answers(PG_URL, PG_USER)) {
            run("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start");
        }
        awaitAnswer(PG_URL, PG_USER);
    }

    public static boolean answers(String url, String user) {
        try (Connection c = connect(url, user)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Waits until the server answers, at most 60 s: a connection attempt is the only signal there is. */
    public static void awaitAnswer(String url, String user) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers(url, user)) {
            assertTrue(System.nanoTime() < deadline, () -> url + " did not answer within 60 s");
            Thread.sleep(200); // polling a server that is starting: nothing to wait on but the next try
        }
    }

    public static void run(String... command) throws Exception {
        assertEquals(0, exitCode(command), () -> String.join(" ", command) + " failed");
    }

    public static int exitCode(String... command) throws Exception {
        // Output to a file, not a pipe: a server started by the command may keep a pipe open.
        File output = File.createTempFile("ringlog-server", ".log");
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(output).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> String.join(" ", command) + " did not finish");
            if (p.exitValue() != 0) {
                System.out.printf("%s: exit %d: %s%n", String.join(" ", command), p.exitValue(), read(output));
            }
            return p.exitValue();
        } finally {
            output.delete();
        }
    }

    private static String read(File file) {
        try {
            return Files.readString(file.toPath());
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}
