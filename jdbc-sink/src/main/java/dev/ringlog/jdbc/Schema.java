package dev.ringlog.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Makes sure the standard table exists before the sink writes to it: found in the JDBC metadata (no
 * DDL, so a role that may only insert and select works), else created with its indexes unless the
 * application turned creation off. Called on the sink thread, or by {@code build()}, on a connection
 * with auto-commit off.
 */
final class Schema {

    private Schema() {
    }

    /**
     * Finds or creates {@code table}. A failure keeps the database's SQLState and error code, so that
     * {@link SqlFailures} classifies it: a connection error is retried, a privilege or a missing schema
     * is not.
     */
    static void ensure(Connection c, Dialect dialect, String table, boolean create) throws SQLException {
        if (dialect == Dialect.OTHER) {
            throw new SQLFeatureNotSupportedException("ringlog: the standard table supports H2, PostgreSQL and"
                    + " MariaDB/MySQL, not " + c.getMetaData().getDatabaseProductName()
                    + "; use JdbcSink.builder with your own table and insert statement", "0A000");
        }
        boolean found = exists(c, table);
        c.commit(); // end the metadata read: the connection must not idle in a transaction until the first write
        if (found) {
            return;
        }
        if (!create) {
            throw new SQLSyntaxErrorException("ringlog: table " + table + " does not exist and createTable(false)"
                    + " is set: create it, or let the sink create it", "42P01");
        }
        for (int attempt = 1; ; attempt++) {
            try (Statement ddl = c.createStatement()) {
                for (String sql : dialect.createTable(table)) {
                    ddl.execute(sql);
                }
                c.commit();
                return;
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                String state = String.valueOf(e.getSQLState());
                // Two sinks creating the same PostgreSQL table at once: IF NOT EXISTS is not atomic
                // there, the loser gets a unique violation on the catalog. Once more sees the table.
                if (attempt == 1 && (state.equals("23505") || state.equals("42P07") || state.equals("42710"))) {
                    continue;
                }
                // A plain SQLException around it: the message names the table, SqlFailures reads through.
                throw new SQLException("ringlog: could not create table " + table + ": " + e.getMessage(),
                        e.getSQLState(), e.getErrorCode(), e);
            }
        }
    }

    /**
     * Whether {@code table} ({@code name} or {@code schema.name}, unquoted) exists, from the JDBC
     * metadata: the names are folded as the database folds unquoted identifiers (PostgreSQL lower, H2
     * upper, MariaDB as stored), an unqualified name is looked up in the connection's current schema
     * (MariaDB: its database, which Connector/J reports as the catalog).
     */
    static boolean exists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        int dot = table.indexOf('.');
        String schema = dot < 0 ? null : fold(meta, table.substring(0, dot));
        String name = fold(meta, SqlIdentifier.unqualified(table));
        boolean catalogs = meta.supportsCatalogsInDataManipulation() && !meta.supportsSchemasInDataManipulation();
        String catalog = catalogs ? (schema != null ? schema : c.getCatalog()) : null;
        String schemaPattern = catalogs ? null : escape(meta, schema != null ? schema : c.getSchema());
        try (ResultSet rs = meta.getTables(catalog, schemaPattern, escape(meta, name), null)) {
            while (rs.next()) {
                // the pattern's escape is not honoured everywhere: compare the name itself
                if (name.equals(rs.getString("TABLE_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String fold(DatabaseMetaData meta, String identifier) throws SQLException {
        if (meta.storesUpperCaseIdentifiers()) {
            return identifier.toUpperCase(Locale.ROOT);
        }
        if (meta.storesLowerCaseIdentifiers()) {
            return identifier.toLowerCase(Locale.ROOT);
        }
        return identifier;
    }

    /** {@code _} is a wildcard in metadata patterns; identifiers here have no {@code %}. */
    private static String escape(DatabaseMetaData meta, String identifier) throws SQLException {
        if (identifier == null) {
            return null;
        }
        String escape = meta.getSearchStringEscape();
        return escape == null || escape.isEmpty() ? identifier : identifier.replace("_", escape + "_");
    }
}
