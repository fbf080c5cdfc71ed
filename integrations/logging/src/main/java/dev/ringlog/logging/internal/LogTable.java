package dev.ringlog.logging.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.jdbc.JdbcSink;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * The logging table of both appenders: its name, its columns (the {@link LogColumn#STANDARD standard} ones
 * unless the configuration declares its own, always after the key {@code id}), its DDL and its idempotent
 * insert on one database, and the binding of one event as a row, written once for both frameworks over
 * {@link LogEntry}.
 */
public final class LogTable {

    private static final String[] OWN_LOGGERS = {"dev.ringlog", "com.zaxxer.hikari", "org.postgresql", "org.mariadb", "org.h2"};

    private final LogDialect dialect;
    private final String name;
    private final List<LogColumn> columns;

    /**
     * @param columns the declared columns, or none for the standard ones
     * @throws IllegalArgumentException naming the setting and the value if the table name is not an SQL
     *     identifier or two columns have one name
     */
    public LogTable(LogDialect dialect, String name, List<LogColumn> columns) {
        this.dialect = dialect;
        this.name = JdbcSink.checkedIdentifier("table", name);
        this.columns = List.copyOf(columns.isEmpty() ? LogColumn.STANDARD : columns);
        Set<String> names = new HashSet<>();
        for (LogColumn c : this.columns) {
            if (!names.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("column names must be unique in table " + name + ": column name='"
                        + c.name() + "' is declared twice");
            }
        }
    }

    /** The table's name. */
    public String name() {
        return name;
    }

    /** The table's DDL: a table the database does not have yet is created. */
    public String create() {
        StringJoiner ddl = new StringJoiner(", ", "CREATE TABLE IF NOT EXISTS " + name + " (id BIGINT NOT NULL PRIMARY KEY, ", ")");
        columns.forEach(c -> ddl.add(c.definition(dialect)));
        return ddl.toString();
    }

    /** The idempotent insert of one row: {@link #bind} sets its parameters. */
    public String insert() {
        StringJoiner values = new StringJoiner(", ", "?, ", "");
        columns.forEach(c -> values.add(c.parameter(dialect)));
        return dialect.insert(name, columnNames(), values.toString());
    }

    private String columnNames() {
        StringJoiner names = new StringJoiner(", ", "id, ", "");
        columns.forEach(c -> names.add(c.name()));
        return names.toString();
    }

    /**
     * Binds {@code entry} as the parameters of {@link #insert}. Called on the sink thread.
     *
     * @throws java.sql.SQLDataException (SQLState 22018) if a typed {@code mdc:}/{@code kv:} value does not
     *     convert: the engine dead-letters that event alone
     */
    public void bind(PreparedStatement ps, LogEntry entry) throws SQLException {
        ps.setLong(1, entry.id());
        for (int i = 0; i < columns.size(); i++) {
            columns.get(i).bind(ps, i + 2, entry);
        }
    }

    /** What a dead-letter message says about an event: never its values, which may be personal data. */
    public static String describe(LogEntry entry) {
        return "id=" + entry.id() + ", level=" + entry.level() + ", logger=" + entry.logger();
    }

    /**
     * Creates the table if it is missing, if the database answers, and checks that it has the columns.
     *
     * @return {@code null} once the table is there, or why the database could not be reached (the
     *     writes then retry until it answers; a table still missing then dead-letters them)
     * @throws SQLException if the database answered with an error waiting cannot fix (privilege, syntax,
     *     a table of that name without one of the columns)
     */
    public String createIfReachable(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(create());
            try {
                s.executeQuery("SELECT " + columnNames() + " FROM " + name + " WHERE 1 = 0").close();
            } catch (SQLException e) {
                throw new SQLException("table " + name + " exists, without the columns the configuration declares (create"
                        + " it again, or ALTER TABLE ADD them): " + e.getMessage(), e.getSQLState(), e);
            }
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
}
