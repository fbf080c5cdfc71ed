package dev.ringlog.jdbc;

import dev.ringlog.LogEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Standard rows sent by {@code INSERT} statements: a JDBC batch of the single-row statement
 * ({@link WritePath#JDBC_BATCH}) or multi-row {@code INSERT ... VALUES (...), (...)} statements of
 * {@value #ROWS} rows ({@link WritePath#MULTI_ROW}), the rest of a batch through the single-row
 * statement. Each attempt sends the plain {@code INSERT} unless {@link Redelivery} says it re-delivers
 * events of a failed attempt: then the dialect's idempotent insert. A multi-row statement never takes
 * more than {@link #GROUP_BYTES} or the server's {@link StatementLimit}: rows too large to go
 * {@value #ROWS} at a time go one per statement, and a row over the limit alone is refused by
 * {@link #add} (the engine dead-letters that event). The statements are prepared once per connection
 * (each form and size when first needed); values are copied from the event on {@code add} and bound
 * on {@code execute}, once the attempt's form is known.
 *
 * <p>On MariaDB/MySQL each multi-row statement is sent on its own, as many rows in each as fit (at most
 * {@value #ROWS}: a batch of 30 rows is one statement of 30): there the query timeout
 * ({@code max_statement_time}) applies to each statement and the driver goes on with a JDBC batch
 * after a statement fails, so a batch of N statements that wait for a lock would hold the sink thread
 * for N timeouts. Sent one at a time, an attempt stops at its first timeout.
 */
final class InsertBatch implements Batch<LogEvent> {

    /** Rows per multi-row statement: 500 parameters, far below every driver's limit. */
    static final int ROWS = 100;
    /** The most a multi-row statement takes: bounds the driver's buffers; a larger row still goes alone. */
    static final long GROUP_BYTES = 16L << 20;

    private final Connection connection;
    private final Dialect dialect;
    private final String table;
    private final Redelivery redelivery;
    /** 1 for a JDBC batch of single-row statements, else {@link #ROWS}. */
    private final int rowsPerStatement;
    /** {@code statements[idempotent ? 1 : 0][rows]}: the statement of that many rows, once prepared. */
    private final PreparedStatement[][] statements = new PreparedStatement[2][ROWS + 1];
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

    private InsertBatch(Connection connection, Dialect dialect, String table, Redelivery redelivery,
                        int rowsPerStatement, StatementLimit limit) {
        this.connection = connection;
        this.dialect = dialect;
        this.table = table;
        this.redelivery = redelivery;
        this.rowsPerStatement = rowsPerStatement;
        this.limit = limit;
        this.groupBytes = Math.min(GROUP_BYTES, limit.bytes());
    }

    /**
     * Opens the batch and prepares its plain statements (so that a database that refuses them says so
     * at start).
     *
     * @param multiRow {@link WritePath#MULTI_ROW} rather than {@link WritePath#JDBC_BATCH}
     */
    static InsertBatch open(Connection connection, Dialect dialect, String table, Redelivery redelivery,
                            boolean multiRow, StatementLimit limit) throws SQLException {
        InsertBatch batch = new InsertBatch(connection, dialect, table, redelivery, multiRow ? ROWS : 1, limit);
        try {
            batch.statement(batch.rowsPerStatement, false);
            batch.statement(1, false);
            return batch;
        } catch (SQLException | RuntimeException e) {
            batch.close();
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
        boolean idempotent = redelivery.idempotent();
        try {
            if (dialect == Dialect.MARIADB && rowsPerStatement > 1) {
                executeOneAtATime(idempotent);
                return;
            }
            // Runs of rowsPerStatement rows that fit in groupBytes go as multi-row statements, every other
            // row alone; row order within the transaction does not matter. Each JDBC batch is pipelined.
            PreparedStatement many = rowsPerStatement > 1 ? statement(rowsPerStatement, idempotent) : null;
            PreparedStatement one = statement(1, idempotent);
            boolean anyMany = false;
            boolean anyOne = false;
            int row = 0;
            while (row < size) {
                if (many != null && row + ROWS <= size && ends[row + ROWS] - ends[row] <= groupBytes) {
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

    /** MariaDB: each statement alone, as many rows in each as fit (at most rowsPerStatement), so the first failure ends the attempt. */
    private void executeOneAtATime(boolean idempotent) throws SQLException {
        int row = 0;
        while (row < size) {
            int n = Math.min(rowsPerStatement, size - row);
            while (n > 1 && ends[row + n] - ends[row] > groupBytes) {
                n = ends[row + 1] - ends[row] > groupBytes ? 1 : n / 2;
            }
            PreparedStatement ps = statement(n, idempotent);
            for (int i = 0; i < n; i++) {
                bind(ps, i * 5, row + i);
            }
            ps.executeUpdate();
            row += n;
        }
    }

    private PreparedStatement statement(int rows, boolean idempotent) throws SQLException {
        PreparedStatement[] form = statements[idempotent ? 1 : 0];
        if (form[rows] == null) {
            PreparedStatement ps = connection.prepareStatement(dialect.insert(table, rows, idempotent));
            try {
                ps.setQueryTimeout(queryTimeoutSeconds);
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
            form[rows] = ps;
        }
        return form[rows];
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
        for (PreparedStatement[] form : statements) {
            for (PreparedStatement ps : form) {
                if (ps != null) {
                    try {
                        ps.clearBatch();
                    } catch (SQLException | RuntimeException ignored) {
                        // the connection is going away
                    }
                }
            }
        }
    }

    @Override
    public void queryTimeout(int seconds) throws SQLException {
        queryTimeoutSeconds = seconds;
        for (PreparedStatement[] form : statements) {
            for (PreparedStatement ps : form) {
                if (ps != null) {
                    ps.setQueryTimeout(seconds);
                }
            }
        }
    }

    @Override
    public void close() {
        discard();
        for (PreparedStatement[] form : statements) {
            for (PreparedStatement ps : form) {
                if (ps != null) {
                    try {
                        ps.close();
                    } catch (SQLException | RuntimeException ignored) {
                        // closing a statement of a broken connection
                    }
                }
            }
        }
    }
}
