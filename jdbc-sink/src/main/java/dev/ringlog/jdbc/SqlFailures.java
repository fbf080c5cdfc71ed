package dev.ringlog.jdbc;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * How {@link JdbcSink#isRetryable} reads a failure: retry only when waiting can fix it. The rules are
 * documented there; this class holds the lists.
 */
final class SqlFailures {

    /**
     * SQLState classes (two characters) and states that waiting can fix: the connection (08), a
     * rolled-back transaction (40: deadlock, serialization), insufficient resources (53: disk full,
     * out of memory, too many connections), operator intervention (57: shutdown, crash recovery,
     * statement cancelled or timed out), a system I/O error (58), a lock not available (55P03),
     * a timeout (HYT00, HYT01), a read-only transaction (25006: a standby, until failover promotes it).
     */
    private static final Set<String> WAIT_CLASSES = Set.of("08", "40", "53", "57", "58");
    private static final Set<String> WAIT_STATES = Set.of("55P03", "25006", "HYT00", "HYT01");
    /** 57P04: the database was dropped; no wait brings it back. */
    private static final Set<String> NEVER_STATES = Set.of("57P04");

    /**
     * MariaDB/MySQL error codes whose SQLState is too coarse to tell (HY000, 08S01, 42000...). Waiting
     * fixes: 1021 disk full, 1037/1038/1041 out of memory, 1040 too many connections, 1053 server
     * shutdown, 1114 table full, 1205 lock wait timeout, 1213 deadlock, 1317 query interrupted,
     * 1927 connection killed, 2006/2013 server gone away, lost connection, 3024/1969 statement timeout,
     * 1290/1836 server read-only (a replica, until failover).
     */
    private static final Set<Integer> MARIADB_WAIT = Set.of(1021, 1037, 1038, 1041, 1040, 1053, 1114, 1205, 1213,
            1317, 1927, 2006, 2013, 3024, 1969, 1290, 1836);
    /**
     * MariaDB/MySQL error codes that waiting never fixes even where their state says connection:
     * 1153 packet larger than {@code max_allowed_packet}, 1301 result larger than it, 1045 login
     * denied (state 28000), 1044/1142/1143 access denied, 1049 unknown database, 1146 no such table,
     * 1054 unknown column, 1064 syntax error, 1406 data too long.
     */
    private static final Set<Integer> MARIADB_NEVER = Set.of(1153, 1301, 1045, 1044, 1142, 1143, 1049, 1146, 1054,
            1064, 1406);

    /**
     * H2 error codes (H2 uses them as its SQLState too) that waiting fixes: 90007 object closed (the
     * connection was closed under the sink), 90067 connection broken, 90098 database closed, 90121
     * database called at shutdown, 90028 I/O error (disk full), 90108 out of memory, 90020 database
     * already open by another process, 50200 lock timeout, 90131 concurrent update.
     */
    private static final Set<Integer> H2_WAIT = Set.of(90007, 90067, 90098, 90121, 90028, 90108, 90020, 50200, 90131);

    private SqlFailures() {
    }

    static boolean isRetryable(Throwable failure) {
        if (!(failure instanceof SQLException sql)) {
            // A binder that throws a RuntimeException has met a value it cannot handle: the event's
            // fault. Other checked exceptions (I/O under a COPY) mean the link to the database.
            return !(failure instanceof RuntimeException || failure instanceof Error);
        }
        SQLException real = realCause(sql);
        if (exceedsPacketLimit(real)) {
            return false; // MariaDB Connector/J refused to send it: it is as large the next time
        }
        String state = real.getSQLState();
        int code = real.getErrorCode();
        // The server's answer first: a pool's SQLTransientConnectionException keeps the state of the
        // error it wraps (HikariCP does), and an authentication failure is not transient.
        if (MARIADB_NEVER.contains(code) || (state != null && NEVER_STATES.contains(state))) {
            return false;
        }
        if (MARIADB_WAIT.contains(code) || H2_WAIT.contains(code) || causedByIoOrInterrupt(real)) {
            return true;
        }
        if (state != null && state.length() >= 2) {
            if (WAIT_CLASSES.contains(state.substring(0, 2)) || WAIT_STATES.contains(state)) {
                return true;
            }
            if (!state.startsWith("HY")) {
                return false; // the server answered with a state that says what is wrong: not waiting
            }
        }
        // No state, or a generic one: the exception's class is all there is to go by.
        return real instanceof SQLTransientException || real instanceof SQLRecoverableException
                || real instanceof SQLNonTransientConnectionException;
    }

    /**
     * The exception that says what went wrong. Drivers report a failed batch as a
     * {@link BatchUpdateException} that may carry the real error as its next exception (pgjdbc, H2)
     * or as its cause (MariaDB), sometimes with a generic SQLState of its own. A plain
     * {@link SQLException} whose cause is an {@link SQLException} (the sink's own wrappers, which add
     * the table's name) is read through too.
     */
    static SQLException realCause(SQLException failure) {
        SQLException current = failure;
        for (int depth = 0; depth < 10; depth++) {
            SQLException next = null;
            if (current instanceof BatchUpdateException) {
                next = current.getNextException();
                if (next == null && current.getCause() instanceof SQLException cause) {
                    next = cause;
                }
            } else if (current.getClass() == SQLException.class && current.getCause() instanceof SQLException cause) {
                next = cause;
            }
            if (next == null || next == current) {
                break;
            }
            current = next;
        }
        return current;
    }

    /**
     * Whether MariaDB Connector/J refused a statement larger than the server's {@code max_allowed_packet}
     * (it reports a connection error, 08000, caused by its {@code MaxAllowedPacketException}).
     */
    private static boolean exceedsPacketLimit(SQLException failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("max_allowed_packet")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an {@link java.io.IOException} lies under {@code failure}: a socket or a file failed
     * (H2 reports a full disk as a general error, 50000 HY000, over "No space left on device"); or an
     * {@link InterruptedException}: a wait was cut short (HikariCP's wait for a connection, with no
     * SQLState), which says nothing about the events.
     */
    private static boolean causedByIoOrInterrupt(SQLException failure) {
        Throwable t = failure.getCause();
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code failure} says the table does not exist: PostgreSQL 42P01, MariaDB/MySQL 1146
     * (42S02), H2 42102 and 42104 (42S02, 42S04).
     */
    static boolean isMissingTable(Throwable failure) {
        if (!(failure instanceof SQLException sql)) {
            return false;
        }
        SQLException real = realCause(sql);
        String state = real.getSQLState();
        int code = real.getErrorCode();
        return "42P01".equals(state) || code == 1146 || code == 42102 || code == 42104;
    }

    /**
     * Whether {@code failure} is a unique-key violation: SQLState 23505 (PostgreSQL, H2), MariaDB/MySQL
     * error 1062 (state 23000).
     */
    static boolean isDuplicateKey(Throwable failure) {
        if (!(failure instanceof SQLException sql)) {
            return false;
        }
        SQLException real = realCause(sql);
        return "23505".equals(real.getSQLState()) || real.getErrorCode() == 1062;
    }

    /** Whether the connection that raised {@code failure} should be replaced rather than reused. */
    static boolean breaksConnection(Throwable failure) {
        // Anything retryable may have left the connection in a bad state, and so may a connection
        // error that is not (a statement over MariaDB's packet limit closes the connection): a pooled
        // connection is cheap to replace, a wrong guess expensive. Errors the server answered with
        // (data, constraint, syntax, privilege) leave it usable.
        if (isRetryable(failure)) {
            return true;
        }
        if (failure instanceof SQLException sql) {
            SQLException real = realCause(sql);
            String state = real.getSQLState();
            return real instanceof SQLNonTransientConnectionException || (state != null && state.startsWith("08"));
        }
        return false;
    }
}
