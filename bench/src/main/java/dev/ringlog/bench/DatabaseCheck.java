package dev.ringlog.bench;

/**
 * {@code DatabaseCheck postgresql|mariadb}: exits 0 if that server of the benchmarks
 * ({@code RINGLOG_PG_URL}, {@code RINGLOG_MARIADB_URL}) answers, 1 if not: {@code bench/run} uses it to
 * leave a server out cleanly.
 */
public final class DatabaseCheck {

    private DatabaseCheck() {
    }

    public static void main(String[] args) {
        System.exit(BenchDatabase.reachable(args[0]) ? 0 : 1);
    }
}
