package dev.ringlog.jdbc;

/**
 * How the standard table's rows are sent. The default per database was chosen by measurement
 * ({@code SinkThroughputTest}); see {@link #fastestFor}.
 */
enum WritePath {
    /** A JDBC batch of the single-row idempotent insert. */
    JDBC_BATCH,
    /**
     * Multi-row {@code INSERT ... VALUES (...), (...)} statements of {@value MultiRowBatch#ROWS} rows,
     * capped by bytes (larger rows go one per statement).
     */
    MULTI_ROW,
    /** PostgreSQL with pgjdbc: COPY into a temporary table, then {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}. */
    POSTGRES_COPY;

    /**
     * Measured on 2 cores with the server on the same machine (rows/s, batches of 1,000, 500k rows,
     * 3 rounds): PostgreSQL multi-row 109k mean vs COPY 107k vs {@code reWriteBatchedInserts} 91k vs
     * plain batch 67k; COPY and multi-row tie within the noise, and multi-row needs no pgjdbc-specific
     * code, no temporary table and no URL option. MariaDB multi-row 72k-110k vs JDBC batch 25k-41k
     * (with or without {@code useBulkStmts}). H2: JDBC batch and multi-row tie (about 200k), the batch
     * is simpler.
     */
    static WritePath fastestFor(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL, MARIADB -> MULTI_ROW;
            default -> JDBC_BATCH;
        };
    }
}
