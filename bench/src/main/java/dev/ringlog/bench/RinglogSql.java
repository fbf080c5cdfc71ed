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
 * whose id only the engine sets): on H2 and MariaDB a JDBC batch of the plain single-row
 * {@code INSERT} (on MariaDB Connector/J sends it with its bulk protocol); on PostgreSQL one
 * {@code COPY ... FROM STDIN} in text format; the time as a UTC
 * {@code LocalDateTime} (COPY: its text). Check it against jdbc-sink's {@code WritePath.fastestFor},
 * {@code InsertBatch} and {@code PgCopyBatch} when those change.
 *
 * <p>One writer per connection, used from one thread.
 */
final class RinglogSql implements QueueWriter.Statements {

    /** Rows per multi-row statement ({@code InsertBatch.ROWS}): what {@code rawFastest} sends on H2 and MariaDB. */
    static final int ROWS = 100;
    private static final String COLUMNS = "id, ts, type, actor, payload";
    private static final String ROW = "(?, ?, ?, ?, ?)";

    private final String database;
    private final Connection connection;
    private final String table;
    /** The plain single-row insert, prepared when first needed. */
    private PreparedStatement insert;
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

    /** The plain {@code INSERT} of the standard layout into {@code table}, {@code VALUES (?, ?, ?, ?, ?), ...} with {@code rows} rows. */
    static String insert(String table, int rows) {
        return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES " + ROW + (", " + ROW).repeat(rows - 1);
    }

    /** Sends {@code batch} (not committed), as ringlog's sink sends one batch. */
    @Override
    public void write(List<QueuedEvent> batch) throws SQLException {
        switch (database) {
            case BenchDatabase.POSTGRESQL -> copy(batch);
            default -> {
                PreparedStatement ps = statement();
                for (QueuedEvent e : batch) {
                    bind(ps, e);
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

    private PreparedStatement statement() throws SQLException {
        if (insert == null) {
            insert = connection.prepareStatement(insert(table, 1));
        }
        return insert;
    }

    private static void bind(PreparedStatement ps, QueuedEvent e) throws SQLException {
        ps.setLong(1, e.id());
        ps.setObject(2, BenchEvents.utc(e.epochMicros()));
        ps.setString(3, e.type());
        ps.setString(4, e.actor());
        ps.setString(5, e.payload());
    }

    @Override
    public void close() throws SQLException {
        if (insert != null) {
            insert.close();
        }
    }
}
