package dev.ringlog.jdbc;

import dev.ringlog.LogEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The largest statement the server accepts on a connection, and the size of a standard row in one.
 * A statement over MariaDB/MySQL's {@code max_allowed_packet} is not an error the server answers: the
 * server resets the connection (the driver reports a socket error, 08000, that looks like an outage),
 * so the sink must never send one. Read once per connection; called on the sink thread only.
 *
 * @param bytes the most a statement may take, in bytes, after the room kept for the SQL text
 * @param name the limit, for messages
 */
record StatementLimit(long bytes, String name) {

    /** Room for the SQL text around the values and the protocol's headers. */
    static final int HEADROOM = 1024;
    /** The per-row bytes of a standard row besides its three strings: id, timestamp literal, quotes, separators. */
    static final int ROW_OVERHEAD = 96;
    /** PostgreSQL's limit on a protocol message and on one value, H2's on a value: 1 GiB. */
    private static final long ONE_GIB = 1L << 30;

    /** The limit of {@code connection}: MariaDB/MySQL the session's {@code max_allowed_packet}, else 1 GiB. */
    static StatementLimit of(Connection connection, Dialect dialect) throws SQLException {
        if (dialect != Dialect.MARIADB) {
            return new StatementLimit(ONE_GIB - HEADROOM, dialect == Dialect.POSTGRESQL
                    ? "PostgreSQL's 1 GiB message limit" : "the 1 GiB value limit");
        }
        long packet;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT @@max_allowed_packet")) {
            rs.next();
            packet = rs.getLong(1);
        }
        connection.commit(); // auto-commit is off: do not leave the read open until the first write
        return new StatementLimit(packet - HEADROOM, "max_allowed_packet (" + packet + " bytes)");
    }

    /**
     * The bytes {@code event}'s row takes in a statement (an upper bound, exact enough for long values).
     *
     * @throws SQLDataException (22001, not retryable: the engine dead-letters the event) if the row
     *     alone is over the limit: it could never be sent
     */
    long check(LogEvent event) throws SQLDataException {
        long row = ROW_OVERHEAD + bytes(event.type()) + bytes(event.actor()) + bytes(event.payload());
        if (row > this.bytes) {
            throw new SQLDataException("ringlog: event " + event.id() + " takes " + row + " bytes in a statement,"
                    + " more than the server accepts: it exceeds " + name + "; it can never be written", "22001");
        }
        return row;
    }

    /**
     * The bytes of {@code s} in a statement: its UTF-8 length plus one for each character a driver may
     * escape (MariaDB's text protocol: NUL, quotes, backslash, newline, CR, Ctrl-Z; COPY: backslash,
     * newline, CR, tab). Short values get the bound of 3 bytes per character without a scan.
     */
    static long bytes(String s) {
        if (s == null) {
            return 4; // NULL, \N
        }
        int n = s.length();
        if (n < 256) {
            return 3L * n;
        }
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // 2 or 3 bytes; a surrogate pair (2 chars) is 4 bytes: 2 per char
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            } else if (c == 0 || c == '\'' || c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == 26) {
                bytes++;
            }
        }
        return bytes;
    }
}
