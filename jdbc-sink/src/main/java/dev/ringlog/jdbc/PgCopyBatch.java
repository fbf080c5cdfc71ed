package dev.ringlog.jdbc;

import dev.ringlog.LogEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The PostgreSQL COPY path for the standard table: rows are encoded in COPY text format as they are
 * added, streamed with pgjdbc's {@link CopyManager} into a session temporary table, then moved with
 * {@code INSERT ... SELECT ... ON CONFLICT (id) DO NOTHING} (COPY itself cannot skip rows that are
 * already there). The temporary table empties itself at every commit or rollback. Rows are buffered
 * up to {@value #STREAM_BYTES} bytes; past that, {@code add} streams them into the COPY it opens, so
 * a batch of large payloads takes bounded memory (COPY rows may span messages).
 *
 * <p>The only class of the module that refers to pgjdbc: it is loaded only when the connection is a
 * pgjdbc connection, so the sink works without pgjdbc on the class path.
 */
final class PgCopyBatch implements Batch<LogEvent> {

    private static final String STAGE = "pg_temp.ringlog_stage";
    private static final String COPY = "COPY " + STAGE + " (id, us, type, actor, payload) FROM STDIN";
    /** Buffered bytes past which {@code add} streams them to the server. */
    private static final int STREAM_BYTES = 4 * 1024 * 1024;
    /** A buffer grown past this by one huge row is dropped once sent. */
    private static final int MAX_KEPT_BUFFER = 2 * STREAM_BYTES;

    private final CopyManager copy;
    private final PreparedStatement move;
    private final StatementLimit limit;
    private byte[] buffer = new byte[64 * 1024];
    private int length;
    /** The COPY of the current batch once {@code add} has streamed part of it, else {@code null}. */
    private CopyIn in;

    private PgCopyBatch(CopyManager copy, PreparedStatement move, StatementLimit limit) {
        this.copy = copy;
        this.move = move;
        this.limit = limit;
    }

    /** A COPY batch for {@code table}, or {@code null} if the connection is not a pgjdbc connection. */
    static Batch<LogEvent> openIfPgjdbc(Connection connection, String table, StatementLimit limit) throws SQLException {
        if (!connection.isWrapperFor(PGConnection.class)) {
            return null;
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TEMP TABLE IF NOT EXISTS ringlog_stage (id BIGINT, us BIGINT, type TEXT,"
                    + " actor TEXT, payload TEXT) ON COMMIT DELETE ROWS");
        }
        connection.commit();
        PreparedStatement move = connection.prepareStatement("INSERT INTO " + table + " (" + Dialect.COLUMNS
                + ") SELECT id, TIMESTAMP '1970-01-01 00:00:00' + us * INTERVAL '1 microsecond', type, actor,"
                + " payload FROM " + STAGE + " ON CONFLICT (id) DO NOTHING");
        return new PgCopyBatch(copy, move, limit);
    }

    /** @throws java.sql.SQLDataException if the event's row is over the server's limit on a value */
    @Override
    public void add(LogEvent event) throws SQLException {
        long row = limit.check(event); // at most 1 GiB, and never less than the row's COPY text
        if (length > 0 && length + row > STREAM_BYTES) {
            stream();
        }
        ensure(row); // room for the whole row: the append methods below do not check
        appendAscii(Long.toString(event.id()));
        append((byte) '\t');
        appendAscii(Long.toString(event.timestamp()));
        append((byte) '\t');
        appendText(event.type());
        append((byte) '\t');
        appendText(event.actor());
        append((byte) '\t');
        appendText(event.payload());
        append((byte) '\n');
    }

    @Override
    public void execute() throws SQLException {
        if (length == 0 && in == null) {
            return;
        }
        try {
            stream();
            in.endCopy();
        } catch (SQLException | RuntimeException e) {
            cancelQuietly(in);
            throw e;
        } finally {
            in = null;
            length = 0;
        }
        move.executeUpdate();
    }

    /** Sends the buffered rows into this batch's COPY, opening it first. */
    private void stream() throws SQLException {
        if (in == null) {
            in = copy.copyIn(COPY);
        }
        in.writeToCopy(buffer, 0, length);
        length = 0;
        if (buffer.length > MAX_KEPT_BUFFER) {
            buffer = new byte[64 * 1024]; // one huge row should not pin its memory
        }
    }

    @Override
    public void discard() {
        length = 0;
        cancelQuietly(in);
        in = null;
    }

    /** The move; the COPY itself has no statement to bound, the connection's network timeout bounds it. */
    @Override
    public void queryTimeout(int seconds) throws SQLException {
        move.setQueryTimeout(seconds);
    }

    @Override
    public void close() {
        discard();
        try {
            move.close();
        } catch (SQLException | RuntimeException ignored) {
            // closing a statement of a broken connection
        }
    }

    private static void cancelQuietly(CopyIn in) {
        try {
            if (in != null && in.isActive()) {
                in.cancelCopy();
            }
        } catch (SQLException | RuntimeException ignored) {
            // the connection is broken; the sink replaces it
        }
    }

    /** COPY text format: NULL is {@code \N}; backslash, newline, carriage return and tab are escaped. */
    private void appendText(String text) {
        if (text == null) {
            append((byte) '\\');
            append((byte) 'N');
            return;
        }
        // UTF-8 bytes of multi-byte characters are all >= 0x80, so escaping byte by byte is exact.
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            switch (b) {
                case '\\' -> { buffer[length++] = '\\'; buffer[length++] = '\\'; }
                case '\n' -> { buffer[length++] = '\\'; buffer[length++] = 'n'; }
                case '\r' -> { buffer[length++] = '\\'; buffer[length++] = 'r'; }
                case '\t' -> { buffer[length++] = '\\'; buffer[length++] = 't'; }
                default -> buffer[length++] = b;
            }
        }
    }

    private void appendAscii(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            buffer[length++] = (byte) digits.charAt(i);
        }
    }

    private void append(byte b) {
        buffer[length++] = b;
    }

    /** Room for {@code more} bytes; in long arithmetic: a row may approach 1 GiB. */
    private void ensure(long more) {
        long needed = length + more;
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * buffer.length, needed)));
        }
    }
}
