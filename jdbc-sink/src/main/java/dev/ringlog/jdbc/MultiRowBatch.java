package dev.ringlog.jdbc;

import dev.ringlog.LogEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Standard rows sent {@value #ROWS} at a time in one multi-row {@code INSERT ... VALUES (...), (...)}
 * statement, the rest of a batch through a JDBC batch of the single-row statement. A multi-row
 * statement never takes more than {@link #GROUP_BYTES} or the server's {@link StatementLimit}: rows
 * too large to go {@value #ROWS} at a time go one per statement, and a row over the limit alone is
 * refused by {@link #add} (the engine dead-letters that event). The statements are
 * prepared once per connection; values are copied from the event on {@code add} and bound on
 * {@code execute}. Measured 3 to 4 times faster than a JDBC batch on MariaDB, whose driver (3.x) no
 * longer rewrites batches into multi-row statements, and as fast as COPY on PostgreSQL without
 * needing {@code reWriteBatchedInserts} on the URL (see {@link WritePath#fastestFor}).
 *
 * <p>On MariaDB/MySQL each statement is sent on its own, and the rows left over at the end of a batch
 * go as one multi-row statement of their own size: there the query timeout ({@code max_statement_time})
 * applies to each statement and the driver goes on with a JDBC batch after a statement fails, so a
 * batch of N statements that wait for a lock would hold the sink thread for N timeouts. Sent one at a
 * time, an attempt stops at its first timeout.
 */
final class MultiRowBatch implements Batch<LogEvent> {

    /** Rows per multi-row statement: 500 parameters, far below every driver's limit. */
    static final int ROWS = 100;
    /** The most a multi-row statement takes: bounds the driver's buffers; a larger row still goes alone. */
    static final long GROUP_BYTES = 16L << 20;

    private final PreparedStatement many;
    private final PreparedStatement one;
    /** MariaDB only (else {@code null}): statements of 2 to ROWS - 1 rows, prepared when first needed. */
    private final PreparedStatement[] sized;
    private final Connection connection;
    private final Dialect dialect;
    private final String table;
    private int queryTimeoutSeconds;
    private final StatementLimit limit;
    private final long groupBytes;
    /** {@code ends[i]}: the statement bytes of rows {@code 0..i-1}, so that a run of rows is measured in O(1). */
    private long[] ends = new long[ROWS + 1];
    private long[] ids = new long[ROWS];
    private long[] micros = new long[ROWS];
    private String[] types = new String[ROWS];
    private String[] actors = new String[ROWS];
    private String[] payloads = new String[ROWS];
    private int size;

    private MultiRowBatch(Connection connection, Dialect dialect, String table, PreparedStatement many,
                          PreparedStatement one, StatementLimit limit) {
        this.connection = connection;
        this.dialect = dialect;
        this.table = table;
        this.many = many;
        this.one = one;
        this.sized = dialect == Dialect.MARIADB ? new PreparedStatement[ROWS] : null;
        this.limit = limit;
        this.groupBytes = Math.min(GROUP_BYTES, limit.bytes());
    }

    static MultiRowBatch open(Connection connection, Dialect dialect, String table, StatementLimit limit)
            throws SQLException {
        PreparedStatement many = connection.prepareStatement(dialect.insert(table, ROWS));
        try {
            return new MultiRowBatch(connection, dialect, table, many, connection.prepareStatement(dialect.insert(table)), limit);
        } catch (SQLException | RuntimeException e) {
            many.close();
            throw e;
        }
    }

    /** @throws java.sql.SQLDataException if the event's row alone is over the server's limit */
    @Override
    public void add(LogEvent event) throws SQLException {
        long bytes = limit.check(event);
        if (size == ids.length) {
            int n = size * 2;
            ids = Arrays.copyOf(ids, n);
            micros = Arrays.copyOf(micros, n);
            types = Arrays.copyOf(types, n);
            actors = Arrays.copyOf(actors, n);
            payloads = Arrays.copyOf(payloads, n);
            ends = Arrays.copyOf(ends, n + 1);
        }
        ends[size + 1] = ends[size] + bytes;
        ids[size] = event.id();
        micros[size] = event.timestamp();
        types[size] = event.type();
        actors[size] = event.actor();
        payloads[size] = event.payload();
        size++;
    }

    @Override
    public void execute() throws SQLException {
        if (sized != null) {
            executeOneAtATime();
            return;
        }
        try {
            // Runs of ROWS rows that fit in groupBytes go as multi-row statements, every other row alone;
            // row order within the transaction does not matter. Each JDBC batch is pipelined in one round trip.
            boolean anyMany = false;
            boolean anyOne = false;
            int row = 0;
            while (row < size) {
                if (row + ROWS <= size && ends[row + ROWS] - ends[row] <= groupBytes) {
                    for (int i = 0; i < ROWS; i++) {
                        bind(many, i * 5, row + i);
                    }
                    many.addBatch();
                    anyMany = true;
                    row += ROWS;
                } else {
                    bind(one, 0, row);
                    one.addBatch();
                    anyOne = true;
                    row++;
                }
            }
            if (anyMany) {
                many.executeBatch();
            }
            if (anyOne) {
                one.executeBatch();
            }
        } finally {
            discard();
        }
    }

    /** MariaDB: each statement alone, as many rows in each as fit (at most ROWS), so the first failure ends the attempt. */
    private void executeOneAtATime() throws SQLException {
        try {
            int row = 0;
            while (row < size) {
                int n = Math.min(ROWS, size - row);
                while (n > 1 && ends[row + n] - ends[row] > groupBytes) {
                    n = ends[row + 1] - ends[row] > groupBytes ? 1 : n / 2;
                }
                PreparedStatement ps = statementFor(n);
                for (int i = 0; i < n; i++) {
                    bind(ps, i * 5, row + i);
                }
                ps.executeUpdate();
                row += n;
            }
        } finally {
            discard();
        }
    }

    private PreparedStatement statementFor(int rows) throws SQLException {
        if (rows == ROWS) {
            return many;
        }
        if (rows == 1) {
            return one;
        }
        if (sized[rows] == null) {
            PreparedStatement ps = connection.prepareStatement(dialect.insert(table, rows));
            ps.setQueryTimeout(queryTimeoutSeconds);
            sized[rows] = ps;
        }
        return sized[rows];
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
        queryTimeoutSeconds = seconds;
        many.setQueryTimeout(seconds);
        one.setQueryTimeout(seconds);
    }

    @Override
    public void close() {
        discard();
        List<PreparedStatement> all = new ArrayList<>(List.of(many, one));
        if (sized != null) {
            for (PreparedStatement ps : sized) {
                if (ps != null) {
                    all.add(ps);
                }
            }
        }
        for (PreparedStatement ps : all) {
            try {
                ps.close();
            } catch (SQLException | RuntimeException ignored) {
                // closing a statement of a broken connection
            }
        }
    }
}
