package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.testsupport.TestDatabases;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** PostgreSQL or MariaDB, the test server a test writes to, and the pools it opens on it. */
record TestServer(String name, String url, String user) {

    static final TestServer POSTGRES = new TestServer("PostgreSQL", TestDatabases.PG_URL, TestDatabases.PG_USER);
    static final TestServer MARIADB = new TestServer("MariaDB", TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER);

    /** The server of a test parameterized by {@code "postgresql"} or {@code "mariadb"}, once it answers. */
    static TestServer reachable(String db) {
        TestServer server = db.equals("postgresql") ? POSTGRES : MARIADB;
        server.assumeReachable();
        return server;
    }

    /** Skips (or, with {@code RINGLOG_REQUIRE_DB=1}, fails) the calling test if the server does not answer. */
    void assumeReachable() {
        TestDatabases.assumeReachable(name, url, user);
    }

    boolean isPostgres() {
        return this == POSTGRES;
    }

    int port() {
        return URI.create(url.substring("jdbc:".length())).getPort();
    }

    /** A pool on this server whose connections carry {@code applicationName} where the database can. */
    HikariDataSource pool(String applicationName) {
        return pool(url, user, applicationName, new Properties());
    }

    /** The first column of the first row of {@code sql}, over a connection of its own. */
    long count(String sql) throws SQLException {
        try (Connection c = TestDatabases.connect(url, user); Statement s = c.createStatement()) {
            return TestDatabases.count(s, sql);
        }
    }

    void dropTable(String table) throws SQLException {
        try (Connection c = TestDatabases.connect(url, user); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
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
