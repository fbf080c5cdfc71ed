package dev.ringlog.logback;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The logging table: its columns, its DDL per database and its idempotent insert. The columns are
 * fixed; the README gives the DDL. Inserts skip a row whose {@code id} is already there, so a batch
 * retried after an ambiguous commit adds no duplicates.
 */
enum LogTable {

    H2("CHARACTER LARGE OBJECT", "CHARACTER LARGE OBJECT", "TIMESTAMP(6)") {
        @Override
        String insert(String table) {
            return "MERGE INTO " + table + " (" + COLUMNS + ") KEY (id) VALUES " + ROW;
        }
    },
    POSTGRESQL("TEXT", "JSONB", "TIMESTAMP(6)") {
        @Override
        String insert(String table) {
            // pgjdbc sends strings as varchar, which jsonb does not take without a cast.
            return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB),"
                    + " CAST(? AS JSONB), ?) ON CONFLICT (id) DO NOTHING";
        }
    },
    MARIADB("LONGTEXT", "JSON", "DATETIME(6)") {
        @Override
        String insert(String table) {
            return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES " + ROW + " ON DUPLICATE KEY UPDATE id = id";
        }
    };

    /** The columns in binding order: see {@link LogRow#bind}. */
    static final String COLUMNS = "id, ts, level, logger, thread, message, throwable, mdc, kv, markers";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
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
    abstract String insert(String table);

    /** The table's DDL: a table the database does not have yet is created. */
    String create(String table) {
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
    static LogTable forUrl(String jdbcUrl) {
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

    /** Creates {@code table} if it is missing. */
    void create(Connection connection, String table) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(create(table));
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /**
     * {@code table} if it is a plain SQL identifier.
     *
     * @throws IllegalArgumentException naming the rule and the value otherwise
     */
    static String checkedName(String table) {
        if (table == null || !IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("table must be 1 to 63 letters, digits or '_', not starting with a"
                    + " digit: table='" + table + "'");
        }
        return table;
    }
}
