package dev.ringlog.logging.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import javax.sql.DataSource;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The logging table of both appenders: its columns, its DDL per database and its idempotent insert.
 * The columns are fixed; the README gives the DDL. Inserts skip a row whose {@code id} is already
 * there, so a batch retried after an ambiguous commit adds no duplicates.
 */
public enum LogTable {

    H2("CHARACTER LARGE OBJECT", "CHARACTER LARGE OBJECT", "TIMESTAMP(6)") {
        @Override
        public String insert(String table) {
            return "MERGE INTO " + table + " (" + COLUMNS + ") KEY (id) VALUES " + ROW;
        }
    },
    POSTGRESQL("TEXT", "JSONB", "TIMESTAMP(6)") {
        @Override
        public String insert(String table) {
            // pgjdbc sends strings as varchar, which jsonb does not take without a cast.
            return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB),"
                    + " CAST(? AS JSONB), ?) ON CONFLICT (id) DO NOTHING";
        }
    },
    MARIADB("LONGTEXT", "JSON", "DATETIME(6)") {
        @Override
        public String insert(String table) {
            return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES " + ROW + " ON DUPLICATE KEY UPDATE id = id";
        }
    };

    /** The columns in binding order: id, ts (UTC), level, logger, thread, message, throwable, mdc, kv, markers. */
    public static final String COLUMNS = "id, ts, level, logger, thread, message, throwable, mdc, kv, markers";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String[] OWN_LOGGERS = {"dev.ringlog", "com.zaxxer.hikari", "org.postgresql", "org.mariadb", "org.h2"};
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String text;
    private final String json;
    private final String timestamp;

    LogTable(String text, String json, String timestamp) {
        this.text = text;
        this.json = json;
        this.timestamp = timestamp;
    }

    /** The idempotent insert of one row, parameters in {@link #COLUMNS} order. */
    public abstract String insert(String table);

    /** The table's DDL: a table the database does not have yet is created. */
    public String create(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT NOT NULL PRIMARY KEY, ts " + timestamp
                + " NOT NULL, level VARCHAR(5) NOT NULL, logger VARCHAR(255) NOT NULL, thread VARCHAR(255),"
                + " message " + text + ", throwable " + text + ", mdc " + json + ", kv " + json
                + ", markers VARCHAR(255))";
    }

    /**
     * The database a JDBC URL names: known before any connection, so the insert is right even when the
     * database does not answer at start.
     *
     * @throws IllegalArgumentException naming the URL's scheme if it is not H2, PostgreSQL or MariaDB/MySQL
     */
    public static LogTable forUrl(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        } else if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        int scheme = url.indexOf(':', 5);
        throw new IllegalArgumentException("url must be a jdbc:h2:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql: URL: url='"
                + (scheme > 0 ? jdbcUrl.substring(0, scheme + 1) + "...'" : jdbcUrl + "'"));
    }

    /**
     * Creates {@code table} if it is missing, if the database answers.
     *
     * @return {@code null} once the table is there, or why the database could not be reached (the
     *     writes then retry until it answers; a table still missing then dead-letters them)
     * @throws SQLException if the database answered with an error waiting cannot fix (privilege, syntax)
     */
    public String createIfReachable(DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(create(table));
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return null;
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (!(e instanceof SQLTransientConnectionException) && (state == null || !state.startsWith("08"))) {
                throw e;
            }
            return e.getMessage();
        }
    }

    /**
     * A random base for the ids of one appender's rows (add a counter): ids of two runs, or of two
     * service instances writing to one table, collide with negligible probability, as with the engine's own
     * {@code LogEvent.id()}.
     */
    public static long idBase() {
        return new SecureRandom().nextLong() & 0x7FFF_FFFF_0000_0000L;
    }

    /**
     * The appenders' pool on a JDBC URL: {@code maxPoolSize} connections (the sink holds one), 5 s to
     * wait for one, and a database down at start is an outage the log retries, not a failed start.
     */
    public static HikariDataSource pool(String name, String url, String user, String password, int maxPoolSize) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(maxPoolSize);
        c.setMinimumIdle(1);
        c.setPoolName("ringlog-" + name + "-pool");
        c.setConnectionTimeout(5_000);
        c.setInitializationFailTimeout(-1);
        return new HikariDataSource(c);
    }

    /**
     * Whether events of {@code logger} would come back through the appender's own writes: ringlog's,
     * HikariCP's and the drivers' loggers ({@code dev.ringlog}, {@code com.zaxxer.hikari},
     * {@code org.postgresql}, {@code org.mariadb}, {@code org.h2}, and the loggers under them).
     */
    public static boolean isOwnLogger(String logger) {
        for (String own : OWN_LOGGERS) {
            if (logger.startsWith(own) && (logger.length() == own.length() || logger.charAt(own.length()) == '.')) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code table} if it is a plain SQL identifier.
     *
     * @throws IllegalArgumentException naming the rule and the value otherwise
     */
    public static String checkedName(String table) {
        if (table == null || !IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("table must be 1 to 63 letters, digits or '_', not starting with a"
                    + " digit: table='" + table + "'");
        }
        return table;
    }
}
