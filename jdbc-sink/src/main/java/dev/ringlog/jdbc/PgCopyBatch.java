package dev.ringlog.jdbc;

import dev.ringlog.LogEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The PostgreSQL COPY path for the standard table ({@link WritePath#POSTGRES_COPY}): rows are encoded
 * in COPY text format as they are added and streamed with pgjdbc's {@link CopyManager} straight into
 * the table. COPY cannot skip a row already there (no {@code ON CONFLICT}), so an attempt that
 * re-delivers events of a failed one ({@link Redelivery}) goes through the idempotent multi-row insert
 * instead; a plain COPY of a row already there fails on the key, like a plain {@code INSERT}. Rows are
 * buffered up to {@value #STREAM_BYTES} bytes; past that, {@code add} streams them into the COPY it
 * opens, so a batch of large payloads takes bounded memory (COPY rows may span messages). Text rather
 * than binary format: the server parses each value as its column's type, so a table made by hand with
 * other compatible types ({@code jsonb} payloads, {@code timestamptz}) takes the rows as an
 * {@code INSERT} would.
 *
 * <p>The only class of the module that refers to pgjdbc: it is loaded only when the connection is a
 * pgjdbc connection, so the sink works without pgjdbc on the class path.
 */
final class PgCopyBatch implements Batch<LogEvent> {

    /** Buffered bytes past which {@code add} streams them to the server. */
    private static final int STREAM_BYTES = 4 * 1024 * 1024;
    /** A buffer grown past this by one huge row is dropped once sent. */
    private static final int MAX_KEPT_BUFFER = 2 * STREAM_BYTES;
    /** The longest timestamp text: {@code -yyyyyyyyyyyy-MM-dd HH:mm:ss.SSSSSS BC} and then some. */
    private static final int MAX_TIMESTAMP_BYTES = 40;

    private final Connection connection;
    private final CopyManager copy;
    private final String copySql;
    private final Redelivery redelivery;
    /** Re-deliveries: the idempotent multi-row insert on the same connection. */
    private final InsertBatch inserts;
    private final StatementLimit limit;
    private byte[] buffer = new byte[64 * 1024];
    private int length;
    /** The COPY of the current attempt once {@code add} has streamed part of it, else {@code null}. */
    private CopyIn in;
    /** Whether the current attempt has had its first {@code add}, and whether it goes through {@link #inserts}. */
    private boolean started;
    private boolean inserting;

    private PgCopyBatch(Connection connection, CopyManager copy, String table, Redelivery redelivery, InsertBatch inserts,
                        StatementLimit limit) {
        this.connection = connection;
        this.copy = copy;
        this.copySql = "COPY " + table + " (" + Dialect.COLUMNS + ") FROM STDIN";
        this.redelivery = redelivery;
        this.inserts = inserts;
        this.limit = limit;
    }

    /** A COPY batch for {@code table}, or {@code null} if the connection is not a pgjdbc connection. */
    static Batch<LogEvent> openIfPgjdbc(Connection connection, String table, Redelivery redelivery,
                                        StatementLimit limit) throws SQLException {
        if (!connection.isWrapperFor(PGConnection.class)) {
            return null;
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        InsertBatch inserts = InsertBatch.open(connection, Dialect.POSTGRESQL, table, redelivery, true, limit);
        return new PgCopyBatch(connection, copy, table, redelivery, inserts, limit);
    }

    /** @throws java.sql.SQLDataException if the event's row is over the server's limit on a value */
    @Override
    public void add(LogEvent event) throws SQLException {
        if (!started) {
            started = true;
            inserting = redelivery.idempotent();
        }
        if (inserting) {
            inserts.add(event);
            return;
        }
        long row = limit.check(event) + MAX_TIMESTAMP_BYTES; // at most 1 GiB, never less than the row's COPY text
        if (length > 0 && length + row > STREAM_BYTES) {
            stream();
        }
        ensure(row); // room for the whole row: the append methods below do not check
        appendAscii(Long.toString(event.id()));
        append((byte) '\t');
        appendTimestamp(event.timestamp());
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
        if (!started) {
            return;
        }
        started = false;
        if (inserting) {
            inserts.execute();
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
    }

    /** Sends the buffered rows into this attempt's COPY, opening it first. */
    private void stream() throws SQLException {
        if (in == null) {
            in = copy.copyIn(copySql);
        }
        in.writeToCopy(buffer, 0, length);
        length = 0;
        if (buffer.length > MAX_KEPT_BUFFER) {
            buffer = new byte[64 * 1024]; // one huge row should not pin its memory
        }
    }

    @Override
    public void discard() {
        started = false;
        length = 0;
        cancelQuietly(in);
        in = null;
        inserts.discard();
    }

    /**
     * The inserts get a JDBC query timeout; a COPY has no JDBC statement to bound, so the session's
     * {@code statement_timeout} bounds it (a COPY that waits for a lock fails with 57014, retryably),
     * set once here and reset by {@link #beforeReturn} when the connection goes back to the pool.
     */
    @Override
    public void queryTimeout(int seconds) throws SQLException {
        inserts.queryTimeout(seconds);
        setForSession("SET statement_timeout = " + seconds * 1000L);
    }

    /** Leaves the session as the pool gave it: other users of the pool must not inherit the timeout. */
    @Override
    public void beforeReturn() throws SQLException {
        setForSession("RESET statement_timeout");
    }

    /**
     * Runs {@code sql} on its own in auto-commit (one round trip: no BEGIN, no COMMIT), so that no later
     * rollback undoes it, and turns auto-commit off again for the sink's transactions.
     */
    private void setForSession(String sql) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
        // Not in a finally: when the statement failed because the connection died, HikariCP has closed
        // its proxy, and this would throw "Connection is closed" (no SQLState, not retryable) in place
        // of the connection's own, retryable error. A failed connection is not used again anyway.
        connection.setAutoCommit(false);
    }

    @Override
    public void close() {
        discard();
        inserts.close();
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

    /**
     * {@code epochMicros} as the UTC wall-clock ISO text PostgreSQL reads whatever its DateStyle:
     * {@code yyyy-MM-dd HH:mm:ss.SSSSSS}, years before 1 as {@code ... BC}; the value the other paths
     * bind as {@link JdbcSink#utc}. Formatted by hand: a formatter's objects per row would cost more
     * than the row's COPY.
     */
    private void appendTimestamp(long epochMicros) {
        long days = Math.floorDiv(epochMicros, 86_400_000_000L);
        long micros = Math.floorMod(epochMicros, 86_400_000_000L);
        // Days to a proleptic Gregorian date (H. Hinnant's civil_from_days).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        boolean bc = year <= 0;
        long shownYear = bc ? 1 - year : year;
        if (shownYear < 1000) {
            appendDigits(shownYear, 4);
        } else {
            appendAscii(Long.toString(shownYear));
        }
        append((byte) '-');
        appendDigits(month, 2);
        append((byte) '-');
        appendDigits(day, 2);
        append((byte) ' ');
        long seconds = micros / 1_000_000;
        appendDigits(seconds / 3_600, 2);
        append((byte) ':');
        appendDigits(seconds / 60 % 60, 2);
        append((byte) ':');
        appendDigits(seconds % 60, 2);
        append((byte) '.');
        appendDigits(micros % 1_000_000, 6);
        if (bc) {
            appendAscii(" BC");
        }
    }

    /** {@code value} (not negative) in exactly {@code width} decimal digits, zero-padded. */
    private void appendDigits(long value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            buffer[length + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
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

    private void appendAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            buffer[length++] = (byte) text.charAt(i);
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
