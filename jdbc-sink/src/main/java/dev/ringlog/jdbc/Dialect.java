package dev.ringlog.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * What differs between the databases the standard table supports: its DDL and its idempotent insert
 * (the plain {@code INSERT} is the same everywhere). Detected from the connection's metadata, never
 * from the URL.
 */
enum Dialect {

    /**
     * H2 2.x. {@code MERGE ... KEY (id)} is H2's upsert: a retried row overwrites itself with the same
     * values (no duplicate), while NOT NULL, CHECK and length violations on the other columns are still
     * reported as errors of class 22/23.
     */
    H2 {
        @Override
        List<String> createTable(String table) {
            String schema = schemaPrefix(table);
            return List.of(
                    "CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT NOT NULL PRIMARY KEY,"
                            + " ts TIMESTAMP(6) NOT NULL, type VARCHAR(255), actor VARCHAR(255),"
                            + " payload CHARACTER VARYING)",
                    "CREATE INDEX IF NOT EXISTS " + schema + indexName(table, "ts") + " ON " + table + " (ts)",
                    "CREATE INDEX IF NOT EXISTS " + schema + indexName(table, "type") + " ON " + table + " (type)");
        }

        @Override
        String insert(String table) {
            return "MERGE INTO " + table + " (" + COLUMNS + ") KEY (id) VALUES " + ROW;
        }
    },

    /**
     * PostgreSQL. {@code ON CONFLICT (id) DO NOTHING} skips a row already there and nothing else: other
     * constraint violations still fail.
     */
    POSTGRESQL {
        @Override
        List<String> createTable(String table) {
            return List.of(
                    "CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT NOT NULL PRIMARY KEY,"
                            + " ts TIMESTAMP(6) NOT NULL, type VARCHAR(255), actor VARCHAR(255), payload TEXT)",
                    "CREATE INDEX IF NOT EXISTS " + indexName(table, "ts") + " ON " + table + " (ts)",
                    "CREATE INDEX IF NOT EXISTS " + indexName(table, "type") + " ON " + table + " (type)");
        }

        @Override
        String insert(String table) {
            return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES " + ROW + " ON CONFLICT (id) DO NOTHING";
        }
    },

    /**
     * MariaDB and MySQL. {@code ON DUPLICATE KEY UPDATE id = id} rather than {@code INSERT IGNORE}, which
     * would also turn bad values into warnings and store truncated data. Indexes are declared in the
     * {@code CREATE TABLE} (MySQL has no {@code CREATE INDEX IF NOT EXISTS}); {@code DATETIME(6)}
     * rather than {@code TIMESTAMP}, which ends in 2038 and converts through the session time zone.
     */
    MARIADB {
        @Override
        List<String> createTable(String table) {
            return List.of("CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT NOT NULL PRIMARY KEY,"
                    + " ts DATETIME(6) NOT NULL, type VARCHAR(255), actor VARCHAR(255), payload LONGTEXT,"
                    + " INDEX ts_idx (ts), INDEX type_idx (type)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        }

        @Override
        String insert(String table) {
            return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES " + ROW + " ON DUPLICATE KEY UPDATE id = id";
        }
    },

    /** Any other database: custom statements work, the standard table does not. */
    OTHER {
        @Override
        List<String> createTable(String table) {
            throw new UnsupportedOperationException();
        }

        @Override
        String insert(String table) {
            throw new UnsupportedOperationException();
        }
    };

    static final String COLUMNS = "id, ts, type, actor, payload";
    private static final String ROW = "(?, ?, ?, ?, ?)";

    /** The DDL that creates the standard table and its indexes on ts and type, each a no-op if they exist. */
    abstract List<String> createTable(String table);

    /** The idempotent insert of one standard row, parameters in {@link #COLUMNS} order. */
    abstract String insert(String table);

    /**
     * The insert of {@code rows} standard rows in one statement ({@code VALUES (...), (...), ...}):
     * idempotent, or a plain {@code INSERT}, which fails on a row already there (the key) rather than
     * skipping it.
     */
    final String insert(String table, int rows, boolean idempotent) {
        String one = idempotent ? insert(table) : "INSERT INTO " + table + " (" + COLUMNS + ") VALUES " + ROW;
        int at = one.indexOf(ROW) + ROW.length();
        return one.substring(0, at) + (", " + ROW).repeat(rows - 1) + one.substring(at);
    }

    static Dialect of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.startsWith("h2")) {
            return H2;
        }
        if (product.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        return OTHER;
    }

    private static String schemaPrefix(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? "" : table.substring(0, dot + 1);
    }

    /** {@code <table>_<column>_idx}, shortened with a hash to stay within 63 characters. */
    static String indexName(String table, String column) {
        String base = SqlIdentifier.unqualified(table);
        String name = base + "_" + column + "_idx";
        if (name.length() <= 63) {
            return name;
        }
        String hash = Integer.toHexString(table.hashCode() & 0x7fffffff);
        return base.substring(0, 63 - 1 - hash.length() - column.length() - 5) + "_" + hash + "_" + column + "_idx";
    }
}
