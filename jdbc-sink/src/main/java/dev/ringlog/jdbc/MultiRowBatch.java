package dev.ringlog.jdbc;

import dev.ringlog.LogEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Standard rows sent {@value #ROWS} at a time in one multi-row {@code INSERT ... VALUES (...), (...)}
 * statement, the rest of a batch through a JDBC batch of the single-row statement. The statements are
 * prepared once per connection; values are copied from the event on {@code add} and bound on
 * {@code execute}. Measured 3 to 4 times faster than a JDBC batch on MariaDB, whose driver (3.x) no
 * longer rewrites batches into multi-row statements, and as fast as COPY on PostgreSQL without
 * needing {@code reWriteBatchedInserts} on the URL (see {@link WritePath#fastestFor}).
 */
final class MultiRowBatch implements Batch<LogEvent> {

    /** Rows per multi-row statement: 500 parameters, far below every driver's limit. */
    static final int ROWS = 100;

    private final PreparedStatement many;
    private final PreparedStatement one;
    private long[] ids = new long[ROWS];
    private long[] micros = new long[ROWS];
    private String[] types = new String[ROWS];
    private String[] actors = new String[ROWS];
    private String[] payloads = new String[ROWS];
    private int size;

    private MultiRowBatch(PreparedStatement many, PreparedStatement one) {
        this.many = many;
        this.one = one;
    }

    static MultiRowBatch open(Connection connection, Dialect dialect, String table) throws SQLException {
        PreparedStatement many = connection.prepareStatement(dialect.insert(table, ROWS));
        try {
            return new MultiRowBatch(many, connection.prepareStatement(dialect.insert(table)));
        } catch (SQLException | RuntimeException e) {
            many.close();
            throw e;
        }
    }

    @Override
    public void add(LogEvent event) {
        if (size == ids.length) {
            int n = size * 2;
            ids = Arrays.copyOf(ids, n);
            micros = Arrays.copyOf(micros, n);
            types = Arrays.copyOf(types, n);
            actors = Arrays.copyOf(actors, n);
            payloads = Arrays.copyOf(payloads, n);
        }
        ids[size] = event.id();
        micros[size] = event.timestamp();
        types[size] = event.type();
        actors[size] = event.actor();
        payloads[size] = event.payload();
        size++;
    }

    @Override
    public void execute() throws SQLException {
        try {
            int row = 0;
            if (size >= ROWS) {
                // One JDBC batch of multi-row statements: drivers pipeline it in one round trip.
                for (; row + ROWS <= size; row += ROWS) {
                    for (int i = 0; i < ROWS; i++) {
                        bind(many, i * 5, row + i);
                    }
                    many.addBatch();
                }
                many.executeBatch();
            }
            if (row < size) {
                for (; row < size; row++) {
                    bind(one, 0, row);
                    one.addBatch();
                }
                one.executeBatch();
            }
        } finally {
            discard();
        }
    }

    private void bind(PreparedStatement ps, int offset, int row) throws SQLException {
        ps.setLong(offset + 1, ids[row]);
        ps.setObject(offset + 2, JdbcSink.utc(micros[row]));
        ps.setString(offset + 3, types[row]);
        ps.setString(offset + 4, actors[row]);
        ps.setString(offset + 5, payloads[row]);
    }

    @Override
    public void discard() {
        // Drop the references: the ring slot clears its own, the copies must not pin payloads.
        Arrays.fill(types, 0, size, null);
        Arrays.fill(actors, 0, size, null);
        Arrays.fill(payloads, 0, size, null);
        size = 0;
        try {
            many.clearBatch();
            one.clearBatch();
        } catch (SQLException | RuntimeException ignored) {
            // the connection is going away
        }
    }

    @Override
    public void queryTimeout(int seconds) throws SQLException {
        many.setQueryTimeout(seconds);
        one.setQueryTimeout(seconds);
    }

    @Override
    public void close() {
        discard();
        for (PreparedStatement ps : new PreparedStatement[] {many, one}) {
            try {
                ps.close();
            } catch (SQLException | RuntimeException ignored) {
                // closing a statement of a broken connection
            }
        }
    }
}
