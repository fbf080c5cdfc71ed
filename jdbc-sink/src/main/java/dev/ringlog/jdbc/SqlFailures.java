package dev.ringlog.jdbc;

import java.sql.BatchUpdateException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** How {@link JdbcSink#isRetryable} reads a failure; the rules are documented there. */
final class SqlFailures {

    private SqlFailures() {
    }

    static boolean isRetryable(Throwable failure) {
        if (!(failure instanceof SQLException sql)) {
            // A binder that throws a RuntimeException has met a value it cannot handle: the event's
            // fault. Other checked exceptions (I/O under a COPY) mean the link to the database.
            return !(failure instanceof RuntimeException || failure instanceof Error);
        }
        SQLException real = realCause(sql);
        if (real instanceof SQLTransientException || real instanceof SQLRecoverableException
                || real instanceof SQLNonTransientConnectionException) {
            return true; // includes SQLTimeoutException and SQLTransientConnectionException
        }
        String state = real.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57P"))) {
            return true;
        }
        if (real instanceof SQLDataException || real instanceof SQLIntegrityConstraintViolationException) {
            return false;
        }
        return state == null || !(state.startsWith("22") || state.startsWith("23"));
    }

    /**
     * The exception that says what went wrong. Drivers report a failed batch as a
     * {@link BatchUpdateException} that may carry the real error as its next exception (pgjdbc, H2)
     * or as its cause (MariaDB), sometimes with a generic SQLState of its own.
     */
    static SQLException realCause(SQLException failure) {
        SQLException current = failure;
        for (int depth = 0; depth < 10 && current instanceof BatchUpdateException; depth++) {
            SQLException next = current.getNextException();
            if (next == null && current.getCause() instanceof SQLException cause) {
                next = cause;
            }
            if (next == null || next == current) {
                break;
            }
            current = next;
        }
        return current;
    }

    /** Whether the connection that raised {@code failure} should be replaced rather than reused. */
    static boolean breaksConnection(Throwable failure) {
        // Anything retryable may have left the connection in a bad state; a pooled connection is
        // cheap to replace, a wrong guess expensive. Data and constraint errors leave it usable.
        return isRetryable(failure);
    }
}
