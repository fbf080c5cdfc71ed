package dev.ringlog.bench;

import dev.ringlog.bench.BenchEvents.QueuedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The statements ringlog's {@code JdbcSink} sends for the standard table, written out for the
 * like-for-like baseline {@code EndToEndBenchmark.queueAndThreadSameSql} (the sink's own classes,
 * {@code Dialect} and {@code MultiRowBatch}, are package-private in jdbc-sink): on H2 a JDBC batch of
 * the single-row {@code MERGE ... KEY (id)}; on PostgreSQL multi-row
 * {@code INSERT ... VALUES (...) x 100 ... ON CONFLICT (id) DO NOTHING} statements in one JDBC batch,
 * the rest of a batch through the single-row form; the time bound as a UTC {@code LocalDateTime}.
 * Check it against jdbc-sink's {@code Dialect.insert} and {@code WritePath.fastestFor} when those change.
 *
 * <p>One writer per connection, used from one thread.
 */
final class RinglogSql implements AutoCloseable {

    /** Rows per multi-row statement ({@code MultiRowBatch.ROWS}). */
    static final int ROWS = 100;
    static final String COLUMNS = "id, ts, type, actor, payload";
    private static final String ROW = "(?, ?, ?, ?, ?)";

    private final PreparedStatement many; // null where ringlog sends single-row statements only
    private final PreparedStatement one;

    private RinglogSql(PreparedStatement many, PreparedStatement one) {
        this.many = many;
        this.one = one;
    }

    /** The statements of {@code database} ({@link BenchDatabase#H2} or {@link BenchDatabase#POSTGRESQL}) on {@code table}. */
    static RinglogSql prepare(Connection c, String database, String table) throws SQLException {
        return switch (database) {
            case BenchDatabase.H2 -> new RinglogSql(null,
                    c.prepareStatement("MERGE INTO " + table + " (" + COLUMNS + ") KEY (id) VALUES " + ROW));
            case BenchDatabase.POSTGRESQL -> new RinglogSql(
                    c.prepareStatement(values("INSERT INTO " + table + " (" + COLUMNS + ")", ROWS) + " ON CONFLICT (id) DO NOTHING"),
                    c.prepareStatement(values("INSERT INTO " + table + " (" + COLUMNS + ")", 1) + " ON CONFLICT (id) DO NOTHING"));
            default -> throw new IllegalArgumentException("database must be h2 or postgresql: " + database);
        };
    }

    /** {@code head VALUES (?, ?, ?, ?, ?), ...} with {@code rows} rows. */
    static String values(String head, int rows) {
        return head + " VALUES " + ROW + (", " + ROW).repeat(rows - 1);
    }

    /** Sends {@code batch} (not committed), as ringlog's sink sends one batch. */
    void write(List<QueuedEvent> batch) throws SQLException {
        int row = 0;
        boolean anyMany = false;
        boolean anyOne = false;
        int size = batch.size();
        while (row < size) {
            if (many != null && row + ROWS <= size) {
                for (int i = 0; i < ROWS; i++) {
                    bind(many, i * 5, batch.get(row + i));
                }
                many.addBatch();
                anyMany = true;
                row += ROWS;
            } else {
                bind(one, 0, batch.get(row));
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
    }

    private static void bind(PreparedStatement ps, int offset, QueuedEvent e) throws SQLException {
        ps.setLong(offset + 1, e.id());
        ps.setObject(offset + 2, BenchEvents.utc(e.epochMicros()));
        ps.setString(offset + 3, e.type());
        ps.setString(offset + 4, e.actor());
        ps.setString(offset + 5, e.payload());
    }

    @Override
    public void close() throws SQLException {
        if (many != null) {
            many.close();
        }
        one.close();
    }
}
