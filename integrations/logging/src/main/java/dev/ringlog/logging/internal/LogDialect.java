package dev.ringlog.logging.internal;

import java.util.Locale;

/**
 * The databases of the logging table: their column types and their idempotent insert (a row whose
 * {@code id} is already there is skipped, so a batch retried after an ambiguous commit adds no duplicate).
 */
public enum LogDialect {

    H2("CHARACTER LARGE OBJECT", "CHARACTER LARGE OBJECT", "TIMESTAMP(6)"),
    POSTGRESQL("TEXT", "JSONB", "TIMESTAMP(6)"),
    MARIADB("LONGTEXT", "JSON", "DATETIME(6)");

    final String text;
    final String json;
    final String timestamp;

    LogDialect(String text, String json, String timestamp) {
        this.text = text;
        this.json = json;
        this.timestamp = timestamp;
    }

    /** The insert of one row into {@code table}; {@code columns} start with {@code id}, {@code values} are their parameters. */
    String insert(String table, String columns, String values) {
        return switch (this) {
            case H2 -> "MERGE INTO " + table + " (" + columns + ") KEY (id) VALUES (" + values + ")";
            case POSTGRESQL -> "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON CONFLICT (id) DO NOTHING";
            case MARIADB -> "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON DUPLICATE KEY UPDATE id = id";
        };
    }

    /** The parameter of a JSON column: pgjdbc sends strings as varchar, which jsonb does not take without a cast. */
    String jsonParameter() {
        return this == POSTGRESQL ? "CAST(? AS JSONB)" : "?";
    }

    /**
     * The database a JDBC URL names: known before any connection, so the insert is right even when the
     * database does not answer at start.
     *
     * @throws IllegalArgumentException naming the URL's scheme if it is not H2, PostgreSQL or MariaDB/MySQL
     */
    public static LogDialect forUrl(String jdbcUrl) {
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
}
