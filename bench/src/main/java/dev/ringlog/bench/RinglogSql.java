package dev.ringlog.bench;

import dev.ringlog.bench.BenchEvents.QueuedEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * What ringlog's {@code JdbcSink} sends for a batch of the standard table on a first attempt (its
 * default {@code WritePath}), written out for the like-for-like baseline
 * {@code EndToEndBenchmark.queueAndThreadSameSql} (the sink's classes take ringlog's {@code LogEvent},
 * whose id only the engine sets): on H2 a JDBC batch of the plain single-row {@code INSERT}; on
 * PostgreSQL one {@code COPY ... FROM STDIN} in text format; on MariaDB multi-row plain
 * {@code INSERT ... VALUES} statements of up to 100 rows, each executed alone; the time as a UTC
 * {@code LocalDateTime} (COPY: its text). Check it against jdbc-sink's {@code WritePath.fastestFor},
 * {@code InsertBatch} and {@code PgCopyBatch} when those change.
 *
 * <p>One writer per connection, used from one thread.
 */
final class RinglogSql implements AutoCloseable {

    /** Rows per multi-row statement ({@code InsertBatch.ROWS}). */
    static final int ROWS = 100;
    static final String COLUMNS = "id, ts, type, actor, payload";
    private static final String ROW = "(?, ?, ?, ?, ?)";

    private final String database;
    private final Connection connection;
    private final String table;
    /** {@code statements[n]}: the plain insert of n rows, prepared when first needed. */
    private final PreparedStatement[] statements = new PreparedStatement[ROWS + 1];
    private final CopyManager copy;
    private final StringBuilder text = new StringBuilder(EndToEndBenchmark.BATCH * 128);

    private RinglogSql(String database, Connection connection, String table) throws SQLException {
        this.database = database;
        this.connection = connection;
        this.table = table;
        this.copy = database.equals(BenchDatabase.POSTGRESQL) ? connection.unwrap(PGConnection.class).getCopyAPI() : null;
    }

    /** The writer of {@code database} ({@link BenchDatabase#H2}, {@code POSTGRESQL} or {@code MARIADB}) on {@code table}. */
    static RinglogSql prepare(Connection c, String database, String table) throws SQLException {
        return new RinglogSql(database, c, table);
    }

    /** {@code head VALUES (?, ?, ?, ?, ?), ...} with {@code rows} rows. */
    static String values(String head, int rows) {
        return head + " VALUES " + ROW + (", " + ROW).repeat(rows - 1);
    }

    /** Sends {@code batch} (not committed), as ringlog's sink sends one batch. */
    void write(List<QueuedEvent> batch) throws SQLException {
        switch (database) {
            case BenchDatabase.POSTGRESQL -> copy(batch);
            case BenchDatabase.MARIADB -> {
                for (int row = 0; row < batch.size(); ) {
                    int n = Math.min(ROWS, batch.size() - row);
                    PreparedStatement ps = statement(n);
                    for (int i = 0; i < n; i++) {
                        bind(ps, i * 5, batch.get(row + i));
                    }
                    ps.executeUpdate();
                    row += n;
                }
            }
            default -> {
                PreparedStatement ps = statement(1);
                for (QueuedEvent e : batch) {
                    bind(ps, 0, e);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private void copy(List<QueuedEvent> batch) throws SQLException {
        text.setLength(0);
        for (QueuedEvent e : batch) {
            text.append(e.id()).append('\t').append(BenchEvents.utc(e.epochMicros())).append('\t');
            copyText(text, e.type()).append('\t');
            copyText(text, e.actor()).append('\t');
            copyText(text, e.payload()).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn in = copy.copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN");
        in.writeToCopy(bytes, 0, bytes.length);
        in.endCopy();
    }

    /** COPY's text format: backslash, tab, newline and carriage return escaped. */
    private static StringBuilder copyText(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }

    private PreparedStatement statement(int rows) throws SQLException {
        if (statements[rows] == null) {
            statements[rows] = connection.prepareStatement(values("INSERT INTO " + table + " (" + COLUMNS + ")", rows));
        }
        return statements[rows];
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
        for (PreparedStatement ps : statements) {
            if (ps != null) {
                ps.close();
            }
        }
    }
}
