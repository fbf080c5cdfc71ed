package dev.ringlog.bench;

import dev.ringlog.LogEvent;
import dev.ringlog.Sink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A stand-in for {@code dev.ringlog.jdbc.JdbcSink} until the jdbc-sink module lands: writes
 * {@link LogEvent}s to a table with the standard layout with plain JDBC batches (one prepared
 * statement, {@code addBatch} per {@link #add}, {@code executeBatch} and {@code commit} per
 * {@link #flush}). Its builder has the same shape as {@code JdbcSink.forLogEvents(ds).table(t).build()},
 * so the swap is one line at each call site (marked there). Called on the sink thread only.
 */
final class BenchJdbcSink implements Sink<LogEvent> {

    private final DataSource dataSource;
    private final String insert;
    private Connection connection;
    private PreparedStatement statement;

    private BenchJdbcSink(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.insert = "INSERT INTO " + table + " (id, ts, type, actor, payload) VALUES (?, ?, ?, ?, ?)";
    }

    /** Starts a sink for {@link LogEvent}s on {@code dataSource}; the table must exist. */
    static Builder forLogEvents(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    @Override
    public void add(LogEvent event) throws SQLException {
        PreparedStatement ps = statement();
        try {
            bind(ps, event.id(), event.timestamp(), event.type(), event.actor(), event.payload());
            ps.addBatch();
        } catch (SQLException e) {
            discard();
            throw e;
        }
    }

    @Override
    public void flush() throws SQLException {
        if (statement == null) {
            return;
        }
        try {
            statement.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            discard();
            throw e;
        }
    }

    @Override
    public void close() {
        discard();
    }

    /** Binds one row of the standard layout; shared with the baselines so that all bind the same way. */
    static void bind(PreparedStatement ps, long id, long epochMicros, String type, String actor, String payload)
            throws SQLException {
        ps.setLong(1, id);
        ps.setTimestamp(2, timestamp(epochMicros));
        ps.setString(3, type);
        ps.setString(4, actor);
        ps.setString(5, payload);
    }

    static Timestamp timestamp(long epochMicros) {
        Timestamp ts = new Timestamp(Math.floorDiv(epochMicros, 1_000L));
        ts.setNanos((int) Math.floorMod(epochMicros, 1_000_000L) * 1_000);
        return ts;
    }

    private PreparedStatement statement() throws SQLException {
        if (statement == null) {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
                statement = c.prepareStatement(insert);
                connection = c;
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return statement;
    }

    /** Rolls back what was added since the last flush and gives the connection back: the failure contract of {@link Sink}. */
    private void discard() {
        Connection c = connection;
        connection = null;
        statement = null;
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is going away anyway
            }
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
    }

    /** Configures a {@link BenchJdbcSink}; the same calls as {@code JdbcSink.forLogEvents}. */
    static final class Builder {
        private final DataSource dataSource;
        private String table = "ringlog_events";

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        Builder table(String table) {
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        BenchJdbcSink build() {
            return new BenchJdbcSink(dataSource, table);
        }
    }
}
