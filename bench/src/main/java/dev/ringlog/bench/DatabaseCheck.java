package dev.ringlog.bench;

/**
 * Exits 0 if the PostgreSQL server of the benchmarks ({@code RINGLOG_PG_URL}) answers, 1 if not:
 * {@code bench/run} uses it to leave PostgreSQL out cleanly.
 */
public final class PostgresCheck {

    private PostgresCheck() {
    }

    public static void main(String[] args) {
        System.exit(BenchDatabase.postgresReachable() ? 0 : 1);
    }
}
