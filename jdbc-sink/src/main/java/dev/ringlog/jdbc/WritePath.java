package dev.ringlog.jdbc;

/**
 * How the standard table's rows are sent ({@link JdbcSink.TableBuilder#writePath}). Each path sends
 * a plain {@code INSERT} (or COPY) on a first attempt and the dialect's idempotent insert when it
 * re-delivers events of a failed attempt (see {@link JdbcSink}). The default per database is the
 * fastest that {@code WritePathBenchmark} (module bench: rows/s of {@code JdbcSink} add and flush,
 * batches of 1,000 rows of the standard indexed table, one connection) measured; see
 * {@link #fastestFor} and the README's "Write paths" for its numbers and command.
 */
public enum WritePath {
    /** A JDBC batch of the single-row insert. The default on H2 (in-process: no round trips to save). */
    JDBC_BATCH,
    /**
     * Multi-row {@code INSERT ... VALUES (...), (...)} statements of 100 rows, capped by bytes (larger
     * rows go one per statement). The default on MariaDB/MySQL, where each statement is sent on its
     * own (a statement that waits for a lock costs one query timeout, not one per statement of the
     * batch) and a batch of fewer than 100 rows is one statement of its size.
     */
    MULTI_ROW,
    /**
     * PostgreSQL with pgjdbc: COPY (text format) straight into the table; re-deliveries go through the
     * idempotent multi-row insert, since COPY cannot skip a row already there. The default on
     * PostgreSQL; elsewhere (or with another driver) the database's default is used instead.
     */
    POSTGRES_COPY;

    /** The default of {@code dialect}: the fastest {@code WritePathBenchmark} measured there. */
    static WritePath fastestFor(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> POSTGRES_COPY;
            case MARIADB -> MULTI_ROW;
            default -> JDBC_BATCH;
        };
    }
}
