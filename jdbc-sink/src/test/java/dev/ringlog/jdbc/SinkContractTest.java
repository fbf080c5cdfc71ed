package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.RetryPolicy;
import dev.ringlog.TestEvents;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The sink's contract, run against each database by a thin subclass: round trip, load, poison
 * isolation, outages, ambiguous commits, starting while the database is down. Every test goes through
 * a real {@link EventLog}, uses its own table and drops it afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class SinkContractTest {

    static final Duration WAIT = Duration.ofSeconds(90);

    /**
     * A pooled data source on the database under test; {@code tag} names its connections where the database can.
     * Called before each test: a server's subclass skips (or fails) the test here when its server does not answer.
     */
    abstract HikariDataSource newPool(String tag) throws Exception;

    /**
     * Sets {@code faulty} up so that {@link #breakSinkConnection} can break the sink's connection
     * for real, mid-run.
     */
    abstract void prepareBreaking(FaultyDataSource faulty, HikariDataSource pool, String tag) throws Exception;

    /** Breaks the sink's connection, or arranges for its next batch to find it broken; returns how many were broken. */
    abstract int breakSinkConnection(FaultyDataSource faulty, String tag) throws Exception;

    /** The sink under test on the standard table; subclasses may force a write path. */
    JdbcSink<LogEvent> standardSink(DataSource ds) {
        return JdbcSink.forLogEvents(ds).table(table).build();
    }

    /** Events per producer in the load test (4 producers). */
    int eventsPerProducer() {
        return 250_000;
    }

    final List<HikariDataSource> pools = new CopyOnWriteArrayList<>();
    final List<EventLog<?>> logs = new CopyOnWriteArrayList<>();
    final List<String> tables = new CopyOnWriteArrayList<>();
    HikariDataSource pool;
    String table;
    String tag;

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        String method = info.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT);
        tag = "rl_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL) + "_"
                + method.substring(0, Math.min(method.length(), 40));
        table = tag;
        tables.add(table);
        pool = pool(tag);
    }

    HikariDataSource pool(String poolTag) throws Exception {
        HikariDataSource p = newPool(poolTag);
        pools.add(p);
        return p;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (EventLog<?> log : logs) {
            log.close();
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String t : tables) {
                s.execute("DROP TABLE IF EXISTS " + t);
            }
        } finally {
            for (HikariDataSource p : pools) {
                p.close();
            }
        }
    }

    <E> EventLog<E> start(EventLog.Builder<E> builder) {
        EventLog<E> log = builder.overflow(OverflowPolicy.BLOCK)
                .retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(50)))
                .shutdownHook(false)
                .start();
        logs.add(log);
        return log;
    }

    long count(String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows, distinct ids, distinct payloads: each must equal {@code expected}. */
    void assertExactly(long expected, EventLog<LogEvent> log) throws SQLException {
        assertEquals(expected, count("SELECT COUNT(*) FROM " + table), "rows");
        assertEquals(expected, count("SELECT COUNT(DISTINCT id) FROM " + table), "distinct ids");
        assertEquals(expected, count("SELECT COUNT(DISTINCT payload) FROM " + table), "distinct payloads");
        if (log != null) {
            EventLog.Stats stats = log.stats();
            assertEquals(expected, stats.written(), () -> "written: " + stats);
            assertEquals(0, stats.failed(), () -> "failed: " + stats);
            assertEquals(0, stats.dropped(), () -> "dropped: " + stats);
            assertEquals(0, stats.pending(), () -> "pending: " + stats);
        }
    }

    /** Publishes {@code perProducer} events from each of {@code producers} threads; payload {@code p<producer>-<index>}. */
    static void publishConcurrently(EventLog<LogEvent> log, int producers, int perProducer, Callable<?> alongside) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(producers + 1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String prefix = "p" + p + "-";
                String actor = "producer-" + p;
                futures.add(threads.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        assertTrue(log.publish(LogEvent::set, "load", actor, prefix + i));
                    }
                }));
            }
            if (alongside != null) {
                futures.add(threads.submit(alongside));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------

    record Row(String type, String actor, String payload, long micros) {
    }

    @Test
    void roundTripsEveryColumn() throws Exception {
        String big = "x€😀".repeat(16 * 1024 / 4 * 4).substring(0, 64 * 1024 - 8) + "end-big"; // 64 KiB of chars
        // In ts order (the query sorts by it); the first two and the last two test the COPY path's date text.
        List<Row> rows = List.of(
                new Row("1900", "a", "p", micros(LocalDateTime.of(1900, 1, 1, 0, 0, 0, 1_000))),
                new Row("before-epoch", "a", "p", -1L),
                new Row("page_view", "user-1", "{\"path\":\"/home\"}", 1_700_000_000_123_456L),
                new Row("ünïcødé", "Ωμέγα 日本語", "emoji 😀 and accents é, ß", 1_700_000_001_000_001L),
                new Row(null, null, null, 1_700_000_002_999_999L),
                new Row("escapes", "tab\tnewline\nback\\slash", "cr\r\n\\N quote' \"dq\" \t end", 1_700_000_003_000_000L),
                new Row("big", "a", big, 1_700_000_004_000_007L),
                new Row("", "", "", 1_700_000_005_500_000L),
                new Row("leap-day", "a", "p", micros(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000))),
                new Row("9999", "a", "p", micros(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000))));
        JdbcSink<LogEvent> sink = standardSink(pool);
        EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, sink).name("roundtrip"));
        for (Row r : rows) {
            assertTrue(log.publish((e, row) -> {
                e.set(row.type, row.actor, row.payload);
                e.timestamp(row.micros);
            }, r));
        }
        assertTrue(log.flush(WAIT));
        List<Long> ids = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, ts, type, actor, payload FROM " + table + " ORDER BY ts")) {
            for (Row expected : rows) {
                assertTrue(rs.next(), "missing row " + expected.type);
                ids.add(rs.getLong(1));
                assertEquals(JdbcSink.utc(expected.micros), rs.getObject(2, LocalDateTime.class), "ts");
                assertEquals(expected.type, rs.getString(3), "type");
                assertEquals(expected.actor, rs.getString(4), "actor");
                assertEquals(expected.payload, rs.getString(5), "payload of " + expected.type);
            }
            assertTrue(!rs.next(), "extra rows");
        }
        assertEquals(rows.size(), ids.stream().distinct().count(), "distinct ids");
        assertEquals(rows.size(), log.stats().written());
    }

    static long micros(LocalDateTime utc) {
        return utc.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L + utc.getNano() / 1_000;
    }

    @Test
    void writesFourProducersExactly() throws Exception {
        JdbcSink<LogEvent> sink = standardSink(pool);
        EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, sink).name("load"));
        int per = eventsPerProducer();
        long t0 = System.nanoTime();
        publishConcurrently(log, 4, per, null);
        assertTrue(log.flush(WAIT), () -> "not drained: " + log.stats());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%s: %d events through EventLog+JdbcSink in %d ms (%.0f rows/s), %s%n",
                getClass().getSimpleName(), 4L * per, ms, 4e3 * per / ms, log.stats());
        log.close();
        assertExactly(4L * per, log);
    }

    @Test
    void isolatesTheEventTheDatabaseRejects() throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGINT NOT NULL PRIMARY KEY, v INT NOT NULL, payload VARCHAR(100),"
                    + " CONSTRAINT " + table + "_v_ck CHECK (v >= 0))");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        JdbcSink<LogEvent> sink = JdbcSink.<LogEvent>builder(pool, "INSERT INTO " + table + " (id, v, payload) VALUES (?, ?, ?)",
                (ps, e) -> {
                    ps.setLong(1, e.id());
                    ps.setInt(2, Integer.parseInt(e.type()));
                    ps.setString(3, e.payload());
                }).build();
        Map<String, Throwable> dead = new ConcurrentHashMap<>();
        EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, sink).name("poison")
                .maxBatchSize(1_000).linger(Duration.ofMinutes(1))
                .deadLetters((e, cause) -> dead.put(e.payload(), cause)));
        for (int i = 0; i < 1_000; i++) {
            assertTrue(log.publish(LogEvent::set, i == 637 ? "-1" : Integer.toString(i), "a", "row-" + i));
        }
        assertTrue(log.flush(WAIT));
        assertEquals(999, count("SELECT COUNT(*) FROM " + table));
        assertEquals(0, count("SELECT COUNT(*) FROM " + table + " WHERE payload = 'row-637'"));
        assertEquals(Map.of("row-637", dead.get("row-637")), dead);
        String state = sqlState(dead.get("row-637"));
        assertTrue(state != null && state.startsWith("23"), () -> "SQLState of the rejected event: " + state);
        EventLog.Stats stats = log.stats();
        assertEquals(999, stats.written());
        assertEquals(1, stats.failed());
    }

    @Test
    void createsTheTableAgainWhenItIsDroppedUnderARunningSink() throws Exception {
        EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, standardSink(pool)).name("dropped-table"));
        for (int i = 0; i < 100; i++) {
            assertTrue(log.publish(LogEvent::set, "before", "a", "before-" + i));
        }
        assertTrue(log.flush(WAIT));
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("DROP TABLE " + table); // an operator, a restore, a lost file
        }
        for (int i = 0; i < 100; i++) {
            assertTrue(log.publish(LogEvent::set, "after", "a", "after-" + i));
        }
        assertTrue(log.flush(WAIT), () -> "written after the table came back: " + log.stats());
        EventLog.Stats stats = log.stats();
        assertEquals(0, stats.failed(), () -> "nothing dead-lettered for a table the sink can create: " + stats);
        assertEquals(200, stats.written(), stats::toString);
        assertEquals(100, count("SELECT COUNT(*) FROM " + table + " WHERE type = 'after'"));
    }

    @Test
    void deadLettersAStandardEventWithAValueTooLong() throws Exception {
        Map<String, Throwable> dead = new ConcurrentHashMap<>();
        EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, standardSink(pool)).name("too-long")
                .maxBatchSize(500).linger(Duration.ofMinutes(1))
                .deadLetters((e, cause) -> dead.put(e.payload(), cause)));
        for (int i = 0; i < 500; i++) {
            assertTrue(log.publish(LogEvent::set, i == 250 ? "t".repeat(256) : "ok", "a", "row-" + i));
        }
        assertTrue(log.flush(WAIT));
        assertEquals(499, count("SELECT COUNT(*) FROM " + table));
        assertEquals(java.util.Set.of("row-250"), dead.keySet());
        String state = sqlState(dead.get("row-250"));
        assertEquals("22001", state, () -> "SQLState of the rejected event, from " + dead.get("row-250"));
        assertEquals(1, log.stats().failed());
    }

    /** The standard sink on {@code target}, forced to {@code path}. */
    JdbcSink<LogEvent> standardSink(DataSource ds, String target, WritePath path) {
        return JdbcSink.forLogEvents(ds).table(target).writePath(path).build();
    }

    /** A table of this test besides {@link #table}, dropped afterwards. */
    String otherTable(String suffix) {
        String t = table + "_" + suffix;
        tables.add(t);
        return t;
    }

    @Test
    void deadLettersTheRejectedEventOnEveryWritePath() throws Exception {
        for (WritePath path : WritePath.values()) {
            String target = otherTable("p" + path.ordinal());
            Map<String, Throwable> dead = new ConcurrentHashMap<>();
            EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, standardSink(pool, target, path))
                    .name("rejected-" + path).maxBatchSize(500).linger(Duration.ofMinutes(1))
                    .deadLetters((e, cause) -> dead.put(e.payload(), cause)));
            for (int i = 0; i < 500; i++) {
                assertTrue(log.publish(LogEvent::set, i == 250 ? "t".repeat(256) : "ok", "a", "row-" + i));
            }
            assertTrue(log.flush(Duration.ofSeconds(30)), () -> path + ": not drained: " + log.stats());
            assertEquals(499, count("SELECT COUNT(*) FROM " + target), path::toString);
            assertEquals(java.util.Set.of("row-250"), dead.keySet(), path::toString);
            assertEquals("22001", sqlState(dead.get("row-250")), () -> path + ": " + dead.get("row-250"));
            assertEquals(499, log.stats().written(), path::toString);
            assertEquals(1, log.stats().failed(), path::toString);
            log.close();
        }
    }

    /** Statements are capped by bytes: 150 events of 1 MiB each (MariaDB's packet limit here is 16 MiB) are all written. */
    @Test
    void writesEventsOfOneMebibyteEach() throws Exception {
        assertWritesLargeEvents(table, standardSink(pool), 150, 1 << 20);
    }

    /** Publishes {@code events} events of {@code chars} characters through {@code sink} into {@code target}; all are written within 60 s. */
    void assertWritesLargeEvents(String target, JdbcSink<LogEvent> sink, int events, int chars) throws Exception {
        String large = "m".repeat(chars);
        EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, sink).name("large-" + target));
        for (int i = 0; i < events; i++) {
            String id = Integer.toString(i);
            assertTrue(log.publish(LogEvent::set, "large", "a", id + large.substring(id.length())));
        }
        assertTrue(log.flush(Duration.ofSeconds(60)), () -> "not drained after 60 s: " + log.stats());
        assertEquals(events, count("SELECT COUNT(*) FROM " + target), "rows");
        assertEquals(events, count("SELECT COUNT(DISTINCT id) FROM " + target), "distinct ids");
        assertEquals((long) events * chars, count("SELECT SUM(LENGTH(payload)) FROM " + target), "payload characters");
        assertEquals(events, log.stats().written());
        assertEquals(0, log.stats().failed());
        log.close();
    }

    /** The first SQLState of class 22 or 23 in the cause chain (next exceptions and causes). */
    static String sqlState(Throwable t) {
        for (int i = 0; t != null && i < 20; i++) {
            if (t instanceof SQLException sql) {
                String s = sql.getSQLState();
                if (s != null && (s.startsWith("23") || s.startsWith("22"))) {
                    return s;
                }
                t = sql.getNextException() != null ? sql.getNextException() : sql.getCause();
            } else {
                t = t.getCause();
            }
        }
        return null;
    }

    @Test
    void losesAndDuplicatesNothingWhenTheConnectionBreaks() throws Exception {
        FaultyDataSource faulty = new FaultyDataSource(pool);
        prepareBreaking(faulty, pool, tag);
        JdbcSink<LogEvent> sink = standardSink(faulty);
        EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, sink).name("outage"));
        AtomicInteger broken = new AtomicInteger();
        int outages = 6;
        publishConcurrently(log, 4, 50_000, () -> {
            // Break the sink's connection after every 15 commits: each outage hits a working sink.
            for (int i = 0; i < outages; i++) {
                assertTrue(faulty.commits.tryAcquire(15, 60, TimeUnit.SECONDS), "commits stopped");
                broken.addAndGet(breakSinkConnection(faulty, tag));
            }
            return null;
        });
        assertTrue(log.flush(WAIT), () -> "not drained: " + log.stats());
        log.close();
        System.out.printf("%s: %d connections broken, %s%n", getClass().getSimpleName(), broken.get(), log.stats());
        assertTrue(broken.get() >= outages / 2, "connections broken: " + broken.get());
        assertTrue(log.stats().retries() >= 1, () -> "the sink never failed: " + log.stats());
        assertExactly(200_000, log);
    }

    @Test
    void addsNoDuplicateAfterAnAmbiguousCommit() throws Exception {
        FaultyDataSource faulty = new FaultyDataSource(pool);
        JdbcSink<LogEvent> sink = standardSink(faulty);
        EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, sink).name("ambiguous"));
        for (int round = 0; round < 3; round++) {
            faulty.ambiguousNextCommit.set(true);
            for (int i = 0; i < 5_000; i++) {
                assertTrue(log.publish(LogEvent::set, "amb", "a", "r" + round + "-" + i));
            }
            assertTrue(log.flush(WAIT));
        }
        log.close();
        assertEquals(3, faulty.ambiguousCommits.get());
        // One retry per ambiguous commit: a retry that sent plain inserts would fail on the key once more.
        assertEquals(3, log.stats().retries(), () -> "retries: " + log.stats());
        assertExactly(15_000, log);
    }

    /** Events {@code from..to-1} with ids {@code base + i}, payload {@code <prefix><i>}. */
    static List<LogEvent> events(long base, int from, int to, String prefix) {
        List<LogEvent> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            events.add(TestEvents.event(base + i, 1_700_000_000_000_000L + i, "redeliver", "a", prefix + i));
        }
        return events;
    }

    static void addAll(JdbcSink<LogEvent> sink, List<LogEvent> events) throws SQLException {
        for (LogEvent e : events) {
            sink.add(e);
        }
    }

    /**
     * The first attempt after a failure is idempotent: the events of a batch whose commit reached the
     * database but lost its answer are added again, and that very attempt commits (a plain insert would
     * fail on the key) without a duplicate. Then a new batch commits too. Driven on the sink itself, as
     * the engine drives it.
     */
    @Test
    void theFirstAttemptAfterAFailureIsIdempotent() throws Exception {
        FaultyDataSource faulty = new FaultyDataSource(pool);
        JdbcSink<LogEvent> sink = standardSink(faulty);
        long base = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 60);
        List<LogEvent> batch = events(base, 0, 1_500, "b");
        addAll(sink, batch);
        faulty.ambiguousNextCommit.set(true);
        SQLException lost = assertThrows(SQLException.class, sink::flush);
        assertTrue(sink.isRetryable(lost), lost::toString);
        assertEquals(1_500, count("SELECT COUNT(*) FROM " + table), "the ambiguous commit committed");
        addAll(sink, batch);
        sink.flush(); // the re-delivery: idempotent, so the rows already there are skipped
        addAll(sink, events(base, 1_500, 1_600, "b"));
        sink.flush();
        sink.close();
        assertEquals(1_600, count("SELECT COUNT(*) FROM " + table), "rows");
        assertEquals(1_600, count("SELECT COUNT(DISTINCT id) FROM " + table), "distinct ids");
    }

    /**
     * A first attempt is a plain insert: a row already there (a replayed event committed before)
     * fails it on the key, retryably; the retry is idempotent and writes the rest.
     */
    @Test
    void aFirstAttemptIsPlainAndARowAlreadyThereIsRetried() throws Exception {
        JdbcSink<LogEvent> sink = standardSink(pool);
        long base = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 60);
        addAll(sink, events(base, 0, 10, "p"));
        sink.flush();
        List<LogEvent> replay = events(base, 5, 300, "p"); // 5..9 are in the table
        addAll(sink, replay);
        SQLException duplicate = assertThrows(SQLException.class, sink::flush);
        assertTrue(SqlFailures.isDuplicateKey(duplicate), duplicate::toString);
        assertFalse(SqlFailures.isRetryable(duplicate), "a key violation alone is not retryable");
        assertTrue(sink.isRetryable(duplicate), "a plain attempt's key violation is retryable: " + duplicate);
        assertEquals(10, count("SELECT COUNT(*) FROM " + table), "the failed attempt was rolled back");
        addAll(sink, replay);
        sink.flush();
        sink.close();
        assertEquals(300, count("SELECT COUNT(*) FROM " + table), "rows");
        assertEquals(300, count("SELECT COUNT(DISTINCT id) FROM " + table), "distinct ids");
    }

    @Test
    void startsWhileTheDatabaseIsDown() throws Exception {
        FaultyDataSource faulty = new FaultyDataSource(pool);
        faulty.down.set(true);
        JdbcSink<LogEvent> sink = standardSink(faulty); // does not throw
        EventLog<LogEvent> log = start(EventLog.builder(LogEvent::new, sink).name("down"));
        for (int i = 0; i < 10_000; i++) {
            assertTrue(log.publish(LogEvent::set, "down", "a", "d-" + i));
        }
        // The sink thread has tried (and failed) to connect at least three times: the log is retrying.
        assertTrue(faulty.failedConnects.tryAcquire(3, 60, TimeUnit.SECONDS));
        assertEquals(0, log.stats().written());
        faulty.down.set(false);
        assertTrue(log.flush(WAIT), () -> "not drained: " + log.stats());
        log.close();
        assertExactly(10_000, log);
    }

    @Test
    void tableBuilderCreatesTheTableOnceAndReusesIt() throws Exception {
        JdbcSink<LogEvent> first = standardSink(pool);
        EventLog<LogEvent> log1 = start(EventLog.builder(LogEvent::new, first).name("first"));
        assertTrue(log1.publish(LogEvent::set, "t", "a", "one"));
        log1.close();
        JdbcSink<LogEvent> second = standardSink(pool); // table exists: no error
        EventLog<LogEvent> log2 = start(EventLog.builder(LogEvent::new, second).name("second"));
        assertTrue(log2.publish(LogEvent::set, "t", "a", "two"));
        log2.close();
        assertExactly(2, null);
        assertNull(sqlState(null));
    }

    /** Reads the payloads of the table, for debugging failures. */
    List<String> payloads(DataSource ds) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT payload FROM " + table)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
