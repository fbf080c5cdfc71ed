package dev.ringlog.jdbc;

/**
 * How the standard table's rows are sent. The default per database was chosen by measurement
 * ({@code SinkThroughputTest}); see {@link #fastestFor}.
 */
enum WritePath {
    /** A JDBC batch of the single-row idempotent insert. */
    JDBC_BATCH,
    /** Multi-row {@code INSERT ... VALUES (...), (...)} statements of {@value MultiRowBatch#ROWS} rows. */
    MULTI_ROW,
    /** PostgreSQL with pgjdbc: COPY into a temporary table, then {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}. */
    POSTGRES_COPY;

    static WritePath fastestFor(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> POSTGRES_COPY;
            case MARIADB -> MULTI_ROW;
            default -> JDBC_BATCH;
        };
    }
}
