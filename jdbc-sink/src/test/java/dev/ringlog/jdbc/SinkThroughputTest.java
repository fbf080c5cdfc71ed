package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.TestEvents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quick throughput measurement (not JMH: the bench module has the real benchmarks), run on demand:
 * {@code mvn -B -q -pl jdbc-sink -am verify -Dtest=SinkThroughputTest -Dsurefire.failIfNoSpecifiedTests=false -Dringlog.measure=true}.
 * Prints rows/s for raw batches of 1,000 (one thread, no queue) and for the sink behind an EventLog.
 */
@EnabledIfSystemProperty(named = "ringlog.measure", matches = "true")
class SinkThroughputTest {

    static final int ROWS = Integer.getInteger("ringlog.measure.rows", 300_000);
    static final int ROUNDS = Integer.getInteger("ringlog.measure.rounds", 2);
    static final int BATCH = 1_000;
    static final String PAYLOAD = "{\"path\":\"/products/12345\",\"referrer\":\"https://example.com/search?q=ringlog\",\"ms\":42}";

    @TempDir
    Path directory;

    @Test
    void h2() throws Exception {
        for (int round = 1; round <= ROUNDS; round++)
        for (boolean commitOnDisk : new boolean[] {false, true}) {
            try (HikariDataSource ds = JdbcSink.embeddedH2(directory).name("m" + commitOnDisk + round).commitOnDisk(commitOnDisk).open()) {
                String w = "round " + round + (commitOnDisk ? " WRITE_DELAY=0" : " WRITE_DELAY=500 (default)");
                for (String kind : new String[] {"insert", "merge-key", "merge-using"}) {
                    String t = table();
                    JdbcSink.forLogEvents(ds).table(t).build().close();
                    String sql = switch (kind) {
                        case "insert" -> "INSERT INTO " + t + " (" + Dialect.COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
                        case "merge-key" -> Dialect.H2.insert(t);
                        default -> "MERGE INTO " + t + " d USING (VALUES (CAST(? AS BIGINT), CAST(? AS TIMESTAMP(6)),"
                                + " CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)), CAST(? AS CHARACTER VARYING)))"
                                + " s(id, ts, type, actor, payload) ON d.id = s.id WHEN NOT MATCHED THEN INSERT"
                                + " (id, ts, type, actor, payload) VALUES (s.id, s.ts, s.type, s.actor, s.payload)";
                    };
                    rawJdbc("H2 " + w + " raw JDBC " + kind, ds, sql);
                }
                rawSink("H2 " + w + " raw JdbcSink JDBC batch (merge-key)", sink(ds, WritePath.JDBC_BATCH));
                rawSink("H2 " + w + " raw JdbcSink multi-row x100 (merge-key)", sink(ds, WritePath.MULTI_ROW));
                behindEventLog("H2 " + w + " EventLog+JdbcSink JDBC batch", sink(ds, WritePath.JDBC_BATCH));
                behindEventLog("H2 " + w + " EventLog+JdbcSink multi-row x100", sink(ds, WritePath.MULTI_ROW));
            }
        }
    }

    /** The same sink behind the log with 1 and 4 producers (BLOCK overflow), to see what producer contention costs. */
    @Test
    void h2Producers() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            try (HikariDataSource ds = JdbcSink.embeddedH2(directory).name("p" + round).open()) {
                for (int producers : new int[] {1, 4}) {
                    behindEventLog("H2 round " + round + " EventLog+JdbcSink JDBC batch, producers=" + producers,
                            sink(ds, WritePath.JDBC_BATCH), producers);
                }
            }
        }
    }

    @Test
    void postgres() throws Exception {
        TestDatabases.assumeReachable("PostgreSQL", TestDatabases.PG_URL, TestDatabases.PG_USER);
        Properties rewrite = new Properties();
        rewrite.setProperty("reWriteBatchedInserts", "true");
        try (HikariDataSource plain = TestDatabases.pool(TestDatabases.PG_URL, TestDatabases.PG_USER, "measure", new Properties());
             HikariDataSource rw = TestDatabases.pool(TestDatabases.PG_URL, TestDatabases.PG_USER, "measure-rw", rewrite)) {
            for (int round = 1; round <= ROUNDS; round++) {
                String r = "round " + round + " ";
                rawSink(r + "PG raw JdbcSink JDBC batch", sink(plain, WritePath.JDBC_BATCH));
                rawSink(r + "PG raw JdbcSink JDBC batch reWriteBatchedInserts=true", sink(rw, WritePath.JDBC_BATCH));
                rawSink(r + "PG raw JdbcSink multi-row x100", sink(plain, WritePath.MULTI_ROW));
                rawSink(r + "PG raw JdbcSink COPY via temp table", sink(plain, WritePath.POSTGRES_COPY));
                behindEventLog(r + "PG EventLog+JdbcSink JDBC batch reWriteBatchedInserts=true", sink(rw, WritePath.JDBC_BATCH));
                behindEventLog(r + "PG EventLog+JdbcSink multi-row x100", sink(plain, WritePath.MULTI_ROW));
                behindEventLog(r + "PG EventLog+JdbcSink COPY via temp table", sink(plain, WritePath.POSTGRES_COPY));
            }
        }
    }

    @Test
    void mariadb() throws Exception {
        TestDatabases.assumeReachable("MariaDB", TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER);
        Properties bulk = new Properties();
        bulk.setProperty("useBulkStmts", "true");
        try (HikariDataSource ds = TestDatabases.pool(TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER, "measure", new Properties());
             HikariDataSource bulkDs = TestDatabases.pool(TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER, "measure-bulk", bulk)) {
            for (int round = 1; round <= ROUNDS; round++) {
                String r = "round " + round + " ";
                rawSink(r + "MariaDB raw JdbcSink JDBC batch", sink(ds, WritePath.JDBC_BATCH));
                rawSink(r + "MariaDB raw JdbcSink JDBC batch useBulkStmts=true", sink(bulkDs, WritePath.JDBC_BATCH));
                rawSink(r + "MariaDB raw JdbcSink multi-row x100", sink(ds, WritePath.MULTI_ROW));
                behindEventLog(r + "MariaDB EventLog+JdbcSink JDBC batch", sink(ds, WritePath.JDBC_BATCH));
                behindEventLog(r + "MariaDB EventLog+JdbcSink multi-row x100", sink(ds, WritePath.MULTI_ROW));
            }
        }
    }
    private final java.util.List<String> created = new java.util.ArrayList<>();

    private JdbcSink<LogEvent> sink(DataSource ds, WritePath path) {
        return JdbcSink.forLogEvents(ds).table(table()).path(path).build();
    }


    private String table() {
        String t = "rl_measure_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        created.add(t);
        return t;
    }

    /** One thread, no queue: bind and execute pre-built batches of 1,000 with plain JDBC. */
    private static void rawJdbc(String label, DataSource ds, String sql) throws Exception {
        LogEvent[] events = events();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            for (int i = 0; i < ROWS; i++) {
                JdbcSink.LOG_EVENT_BINDER.bind(ps, events[i]);
                ps.addBatch();
                if ((i + 1) % BATCH == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            report(label, t0);
            drop(c, sql.split(" ")[2]);
        }
    }

    /** One thread, no queue: the sink itself fed pre-built batches of 1,000 (add x 1,000, flush). */
    private void rawSink(String label, JdbcSink<LogEvent> sink) throws Exception {
        LogEvent[] events = events();
        long t0 = System.nanoTime();
        for (int i = 0; i < ROWS; i++) {
            sink.add(events[i]);
            if ((i + 1) % BATCH == 0) {
                sink.flush();
            }
        }
        sink.flush();
        report(label, t0);
        sink.close();
    }

    /** One producer publishing as fast as the ring lets it (BLOCK), until everything is committed. */
    private static void behindEventLog(String label, JdbcSink<LogEvent> sink) throws Exception {
        behindEventLog(label, sink, 1);
    }

    private static void behindEventLog(String label, JdbcSink<LogEvent> sink, int producers) throws Exception {
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).overflow(OverflowPolicy.BLOCK).shutdownHook(false).start();
        String[] payloads = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            payloads[i] = PAYLOAD + i;
        }
        long t0 = System.nanoTime();
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int first = p;
            threads[p] = new Thread(() -> {
                for (int i = first; i < ROWS; i += producers) {
                    log.publish(LogEvent::set, "page_view", "user-42", payloads[i]);
                }
            });
            threads[p].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!log.flush(Duration.ofMinutes(5))) {
            throw new AssertionError("not drained: " + log.stats());
        }
        report(label + " " + log.stats(), t0);
        log.close();
    }

    private static LogEvent[] events() {
        long base = ThreadLocalRandom.current().nextLong() >>> 2;
        long now = System.currentTimeMillis() * 1_000;
        LogEvent[] events = new LogEvent[ROWS];
        for (int i = 0; i < ROWS; i++) {
            events[i] = TestEvents.event(base + i, now + i, "page_view", "user-42", PAYLOAD + i);
        }
        return events;
    }

    private static void report(String label, long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("MEASURE %-90s %,10.0f rows/s (%d rows in %.2f s)%n", label, ROWS / seconds, ROWS, seconds);
    }

    private static void drop(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            c.commit();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void dropAll() throws Exception {
        for (String[] db : new String[][] {{TestDatabases.PG_URL, TestDatabases.PG_USER}, {TestDatabases.MARIADB_URL, TestDatabases.MARIADB_USER}}) {
            try (Connection c = java.sql.DriverManager.getConnection(db[0], db[1], ""); Statement s = c.createStatement()) {
                for (String t : created) {
                    s.execute("DROP TABLE IF EXISTS " + t);
                }
            } catch (java.sql.SQLException unreachable) {
                // nothing to drop there
            }
        }
    }
}
