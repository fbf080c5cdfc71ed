package dev.ringlog.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The databases the benchmarks write to: an H2 file database (embedded, the default), the
 * PostgreSQL server named by {@code RINGLOG_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test},
 * user {@code postgres}, with {@code reWriteBatchedInserts=true}) or the MariaDB server named by
 * {@code RINGLOG_MARIADB_URL} (default {@code jdbc:mariadb://127.0.0.1:3306/test}, user {@code root}, Connector/J's defaults),
 * each behind a HikariCP pool. Every table has the standard sink's layout:
 * {@code id BIGINT PRIMARY KEY, ts TIMESTAMP, type VARCHAR, actor VARCHAR, payload VARCHAR}.
 */
final class BenchDatabase implements AutoCloseable {

    static final String H2 = "h2";
    static final String POSTGRESQL = "postgresql";
    static final String MARIADB = "mariadb";

    private final String kind;
    private final HikariDataSource dataSource;
    private final List<Runnable> beforeClose = new ArrayList<>();

    private BenchDatabase(String kind, HikariDataSource dataSource) {
        this.kind = kind;
        this.dataSource = dataSource;
    }

    /**
     * Opens a pool on a fresh database: for H2, a new file under {@code ringlog.bench.dir} (default
     * {@code java.io.tmpdir/ringlog-bench}) named {@code name}; for PostgreSQL, the server's database.
     *
     * @throws IllegalStateException if PostgreSQL is asked for and does not answer, naming the URL and
     *     how to leave it out ({@code -p database=h2})
     */
    static BenchDatabase open(String kind, String name, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-" + name);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        switch (kind) {
            case H2 -> {
                Path dir = h2Dir();
                deleteH2Files(dir, name);
                config.setJdbcUrl("jdbc:h2:file:" + dir.resolve(name).toAbsolutePath());
                config.setUsername("sa");
                config.setPassword("");
            }
            case POSTGRESQL, MARIADB -> {
                if (!reachable(kind)) {
                    throw new IllegalStateException(kind + " does not answer at " + url(kind) + " (set "
                            + (kind.equals(POSTGRESQL) ? "RINGLOG_PG_URL" : "RINGLOG_MARIADB_URL")
                            + ", or leave it out with -p database=h2)");
                }
                config.setJdbcUrl(url(kind));
                config.setUsername(user(kind));
                config.setPassword(password(kind));
            }
            default -> throw new IllegalArgumentException("database must be h2, postgresql or mariadb: database=" + kind);
        }
        // Each driver's documented fastest setting for JDBC batches: every baseline that batches, Log4j2's
        // JdbcAppender included, runs with it, and so does ringlog, on the same pool. pgjdbc sends a batch of
        // single-row INSERTs as multi-row ones with reWriteBatchedInserts; MariaDB Connector/J (3.2 and later)
        // sends a batch of INSERTs with its bulk protocol by default (useBulkStmtsForInserts).
        if (kind.equals(POSTGRESQL)) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return new BenchDatabase(kind, new HikariDataSource(config));
    }

    static String pgUrl() {
        return url(POSTGRESQL);
    }

    /** The URL of a server ({@link #POSTGRESQL} or {@link #MARIADB}): {@code RINGLOG_PG_URL} or {@code RINGLOG_MARIADB_URL}. */
    static String url(String kind) {
        return kind.equals(POSTGRESQL)
                ? System.getenv().getOrDefault("RINGLOG_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test")
                : System.getenv().getOrDefault("RINGLOG_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
    }

    private static String user(String kind) {
        return kind.equals(POSTGRESQL) ? System.getenv().getOrDefault("RINGLOG_PG_USER", "postgres")
                : System.getenv().getOrDefault("RINGLOG_MARIADB_USER", "root");
    }

    private static String password(String kind) {
        return System.getenv().getOrDefault(kind.equals(POSTGRESQL) ? "RINGLOG_PG_PASSWORD" : "RINGLOG_MARIADB_PASSWORD", "");
    }

    /** Whether the PostgreSQL server answers within two seconds. */
    static boolean postgresReachable() {
        return reachable(POSTGRESQL);
    }

    /** Whether a server ({@link #POSTGRESQL} or {@link #MARIADB}) answers within two seconds; H2 always does. */
    static boolean reachable(String kind) {
        if (kind.equals(H2)) {
            return true;
        }
        Properties props = new Properties();
        props.setProperty("user", user(kind));
        props.setProperty("password", password(kind));
        if (kind.equals(POSTGRESQL)) { // seconds
            props.setProperty("connectTimeout", "2");
            props.setProperty("loginTimeout", "2");
        } else { // milliseconds
            props.setProperty("connectTimeout", "2000");
            props.setProperty("socketTimeout", "2000");
        }
        try (Connection c = DriverManager.getConnection(url(kind), props)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    String kind() {
        return kind;
    }

    /**
     * The pool's URL for a system that builds its own pool (ringlog's appenders): on PostgreSQL with
     * {@code reWriteBatchedInserts=true}, the setting the benchmark's pool has.
     */
    String urlWithPoolSettings() {
        String url = dataSource.getJdbcUrl();
        return kind.equals(POSTGRESQL) ? url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true" : url;
    }

    String user() {
        return dataSource.getUsername();
    }

    String password() {
        return dataSource.getPassword() == null ? "" : dataSource.getPassword();
    }

    /** Runs each statement, in autocommit. */
    void execute(String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Drops and creates {@code table} with the standard layout. */
    void recreate(String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("DROP TABLE IF EXISTS " + table);
            // The standard table of JdbcSink, for every system alike: its layout and its two indexes.
            if (kind.equals(MARIADB)) {
                s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, ts DATETIME(6) NOT NULL, type VARCHAR(255),"
                        + " actor VARCHAR(255), payload LONGTEXT, INDEX ts_idx (ts), INDEX type_idx (type))"
                        + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
                return;
            }
            s.execute("CREATE TABLE " + table
                    + " (id BIGINT PRIMARY KEY, ts TIMESTAMP(6) NOT NULL, type VARCHAR(255), actor VARCHAR(255), payload CHARACTER VARYING)");
            s.execute("CREATE INDEX " + table + "_ts_idx ON " + table + " (ts)");
            s.execute("CREATE INDEX " + table + "_type_idx ON " + table + " (type)");
        }
    }

    /** Rows in {@code table}. */
    long count(String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The largest id minus the smallest plus one in {@code table}: its rows when its ids have no gap; 0 if it is empty. */
    long idRange(String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT MAX(id) - MIN(id) + 1 FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** {@link #count}, unchecked, for a {@code LongSupplier}. */
    long rows(String table) {
        try {
            return count(table);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the rows of " + table, e);
        }
    }

    /** The largest id in {@code table}, -1 if it is empty; unchecked, for a {@code LongSupplier}. */
    long lastId(String table) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT MAX(id) FROM " + table)) {
            r.next();
            long id = r.getLong(1);
            return r.wasNull() ? -1 : id;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the last id of " + table, e);
        }
    }

    /** Throws if {@code table} does not hold exactly {@code expected} rows: the run did not commit everything. */
    void expectRows(String table, long expected, String system) throws SQLException {
        long rows = count(table);
        if (rows != expected) {
            throw new IllegalStateException(system + ": expected " + expected + " committed rows in " + table
                    + ", found " + rows);
        }
    }

    /** Runs {@code r} before the pool closes: JMH does not order the teardowns of dependent states. */
    void beforeClose(Runnable r) {
        beforeClose.add(r);
    }

    @Override
    public void close() {
        beforeClose.forEach(Runnable::run);
        beforeClose.clear();
        dataSource.close();
    }

    private static Path h2Dir() {
        Path dir = Path.of(System.getProperty("ringlog.bench.dir",
                Path.of(System.getProperty("java.io.tmpdir"), "ringlog-bench").toString()));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the H2 directory " + dir, e);
        }
    }

    private static void deleteH2Files(Path dir, String name) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(name + ".")).sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete the old H2 files of " + name + " in " + dir, e);
        }
    }
}
