package dev.ringlog.bench;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.JdbcSink;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.bench.BenchEvents.QueuedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.MapMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second from the first publish to the last committed row: each invocation publishes
 * {@code events} (1,000,000) events from {@code producers} threads (1, or 4: request threads outnumber
 * the 2 cores in a real service; the raw ceilings have no producers and take no notice of it) and returns only when all of them are committed
 * to the database, into a table that each iteration creates empty; each iteration's teardown checks
 * that the table holds exactly {@code events} rows. JMH reports the time of one invocation
 * ({@code SingleShotTime}); events/s is {@code events / time}, as {@code ChartRenderer} prints it.
 *
 * <p>{@code -p database=h2} (an H2 2.3 file database, default settings), {@code postgresql} (the
 * server at {@code RINGLOG_PG_URL}) or {@code mariadb} ({@code RINGLOG_MARIADB_URL}; setup fails with a message naming the URL when it does not answer,
 * and {@code bench/run} leaves it out then). Every system gets the same HikariCP pool and the same table
 * layout, and nothing is dropped: every system waits when its buffer is full.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g",
        Log4jSetup.ALL_ASYNC, Log4jSetup.SLEEP_WAIT, Log4jSetup.THREADLOCALS, Log4jSetup.DIRECT_ENCODERS,
        Log4jSetup.GC_FREE_CONTEXT, Log4jSetup.NOT_WEBAPP, Log4jSetup.QUIET})
public class EndToEndBenchmark {

    static final int BATCH = 1_000;
    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    /** How long a wait for commits may see no progress before the benchmark fails. */
    static final Duration STALL = Duration.ofSeconds(20);

    /** The database and the number of events per invocation. */
    @State(Scope.Benchmark)
    public static class Db {
        @Param({BenchDatabase.H2, BenchDatabase.POSTGRESQL, BenchDatabase.MARIADB})
        public String database;

        @Param("1000000")
        public int events;

        /** Publishing threads of the systems that have producers; the raw ceilings ignore it. */
        @Param("1")
        public int producers;

        BenchDatabase db;

        @Setup(Level.Trial)
        public void open() {
            db = BenchDatabase.open(database, "e2e", 4);
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
        }
    }

    /** ringlog: ring 65,536, maxBatchSize 1,000, overflow BLOCK (nothing dropped), SLEEP, the JDBC sink. */
    @State(Scope.Benchmark)
    public static class Ringlog {
        static final String TABLE = "e2e_ringlog";
        EventLog<LogEvent> log;
        Db db;

        @Setup(Level.Iteration)
        public void start(Db db) throws SQLException {
            this.db = db;
            db.db.recreate(TABLE);
            log = EventLog.builder(LogEvent::new,
                            JdbcSink.forLogEvents(db.db.dataSource()).table(TABLE).build())
                    .name("e2e").ringSize(65_536).maxBatchSize(BATCH)
                    .overflow(OverflowPolicy.BLOCK)
                    .shutdownHook(false)
                    .start();
        }

        @TearDown(Level.Iteration)
        public void stop() throws SQLException {
            log.close();
            db.db.expectRows(TABLE, db.events, "ringlog");
        }
    }

    /**
     * The classic design: an {@code ArrayBlockingQueue} of 65,536 event objects, {@code put} (waits when
     * full), one writer thread that takes up to 1,000 events at a time ({@code take} + {@code drainTo})
     * and inserts them as one JDBC batch of the plain single-row {@code INSERT} and one commit (on
     * PostgreSQL rewritten into multi-row statements by {@code reWriteBatchedInserts=true}).
     */
    @State(Scope.Benchmark)
    public static class QueueAndThread {
        static final String TABLE = "e2e_queue";
        QueueWriter writer;
        Db db;

        @Setup(Level.Iteration)
        public void start(Db db) throws SQLException {
            this.db = db;
            db.db.recreate(TABLE);
            writer = QueueWriter.start(db.db.dataSource(), "e2e-queue-writer", c -> {
                PreparedStatement ps = c.prepareStatement(RinglogSql.insert(TABLE, 1));
                return new QueueWriter.Statements() {
                    @Override
                    public void write(List<QueuedEvent> batch) throws SQLException {
                        for (QueuedEvent e : batch) {
                            BenchEvents.bind(ps, 0, e.id(), e.epochMicros(), e.type(), e.actor(), e.payload());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }

                    @Override
                    public void close() throws SQLException {
                        ps.close();
                    }
                };
            });
        }

        @TearDown(Level.Iteration)
        public void stop() throws Exception {
            writer.stop();
            db.db.expectRows(TABLE, db.events, "queueAndThread");
        }
    }

    /**
     * Like for like with ringlog: the same queue and thread as {@link QueueAndThread}, writing each batch
     * with exactly the statements ringlog's sink sends for the standard table on a first attempt
     * ({@link RinglogSql}: a JDBC batch of plain {@code INSERT}s on H2, COPY on PostgreSQL, multi-row
     * plain {@code INSERT}s on MariaDB).
     */
    @State(Scope.Benchmark)
    public static class QueueAndThreadSameSql {
        static final String TABLE = "e2e_queue_same";
        QueueWriter writer;
        Db db;

        @Setup(Level.Iteration)
        public void start(Db db) throws SQLException {
            this.db = db;
            db.db.recreate(TABLE);
            writer = QueueWriter.start(db.db.dataSource(), "e2e-queue-same-sql-writer",
                    c -> RinglogSql.prepare(c, db.database, TABLE));
        }

        @TearDown(Level.Iteration)
        public void stop() throws Exception {
            writer.stop();
            db.db.expectRows(TABLE, db.events, "queueAndThreadSameSql");
        }
    }

    /**
     * Log4j2 2.24 all-async loggers (as in {@link PublishBenchmark}) with its JDBC appender,
     * {@code bufferSize=1000} (its documented batching: one JDBC batch and one commit per 1,000 rows,
     * on PostgreSQL with {@code reWriteBatchedInserts=true}), on the HikariCP pool's connections as they
     * are ({@link Log4jConnections}), logging a {@code MapMessage} per event.
     */
    @State(Scope.Benchmark)
    public static class Log4j2Jdbc {
        static final String TABLE = "e2e_log4j2";
        LoggerContext context;
        Logger logger;
        Db db;

        @Setup(Level.Trial)
        public void start(Db db) throws SQLException {
            this.db = db;
            db.db.recreate(TABLE);
            // The MapMessage's keys (%K{key}), not MessageLayout + bare ColumnMappings, the documented MapMessage
            // route: in 2.24.3 JdbcDatabaseManager drops the appender's layout (its constructor calls
            // super(name, bufferSize)), so that route binds no parameter at all ("Parameter #1 is not set").
            context = Log4jSetup.toJdbcAppender(db.db, TABLE, "%K{id}",
                    new String[][] {{"type", "%K{type}"}, {"actor", "%K{actor}"}, {"payload", "%K{payload}"}});
            logger = context.getLogger("bench");
        }

        @Setup(Level.Iteration)
        public void emptyTable() throws SQLException {
            db.db.recreate(TABLE); // the appender holds no connection between flushes
        }

        @TearDown(Level.Iteration)
        public void check() throws SQLException {
            db.db.expectRows(TABLE, db.events, "log4j2JdbcAppender");
        }
    }

    /** One thread inserting pre-built events in JDBC batches of 1,000 plain single-row INSERTs, one commit each, no queue. */
    @State(Scope.Benchmark)
    public static class RawBatch {
        static final String TABLE = "e2e_raw";
        QueuedEvent[] prebuilt;
        Connection connection;
        PreparedStatement insert;
        Db db;

        @Setup(Level.Trial)
        public void build(Db db) {
            this.db = db;
            prebuilt = BenchEvents.prebuilt(db.events);
        }

        @Setup(Level.Iteration)
        public void open() throws SQLException {
            db.db.recreate(TABLE);
            connection = db.db.dataSource().getConnection();
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(RinglogSql.insert(TABLE, 1));
        }

        @TearDown(Level.Iteration)
        public void close() throws SQLException {
            insert.close();
            connection.close();
            db.db.expectRows(TABLE, db.events, "rawBatchInsert");
        }
    }

    /**
     * The ceiling: the fastest raw single-connection write path of the database, on pre-built events,
     * 1,000 rows per commit as every other system: on PostgreSQL {@code COPY ... FROM STDIN} (text
     * format) through pgjdbc's {@code CopyManager}; on H2 and MariaDB multi-row {@code INSERT ... VALUES}
     * statements of 100 rows (a JDBC batch of 10 per commit). Their other candidate, the plain JDBC batch
     * (on MariaDB through Connector/J's bulk protocol, its default for INSERTs), is {@link #rawBatchInsert}: the run measures both and
     * {@code ChartRenderer} takes the faster as the ceiling. No idempotence: the ceiling is what the database takes, not what a log must do.
     */
    @State(Scope.Benchmark)
    public static class RawFastest {
        static final String TABLE = "e2e_fastest";
        QueuedEvent[] prebuilt;
        Connection connection;
        RinglogSql copy;
        PreparedStatement many;
        PreparedStatement one;
        Db db;

        @Setup(Level.Trial)
        public void build(Db db) {
            this.db = db;
            prebuilt = BenchEvents.prebuilt(db.events);
        }

        @Setup(Level.Iteration)
        public void open() throws SQLException {
            db.db.recreate(TABLE);
            connection = db.db.dataSource().getConnection();
            connection.setAutoCommit(false);
            if (db.database.equals(BenchDatabase.POSTGRESQL)) {
                copy = RinglogSql.prepare(connection, BenchDatabase.POSTGRESQL, TABLE); // a COPY per batch
            } else {
                many = connection.prepareStatement(RinglogSql.insert(TABLE, RinglogSql.ROWS));
                one = connection.prepareStatement(RinglogSql.insert(TABLE, 1));
            }
        }

        @TearDown(Level.Iteration)
        public void close() throws SQLException {
            if (many != null) {
                many.close();
                one.close();
            } else {
                copy.close();
            }
            connection.close();
            db.db.expectRows(TABLE, db.events, "rawFastest");
        }

        long copyAll() throws SQLException {
            List<QueuedEvent> events = java.util.Arrays.asList(prebuilt);
            for (int from = 0; from < events.size(); from += BATCH) {
                copy.write(events.subList(from, Math.min(from + BATCH, events.size())));
                connection.commit();
            }
            return events.size();
        }

        long multiRowAll() throws SQLException {
            QueuedEvent[] events = prebuilt;
            for (int from = 0; from < events.length; from += BATCH) {
                int to = Math.min(from + BATCH, events.length);
                int row = from;
                boolean anyMany = false;
                boolean anyOne = false;
                while (row < to) {
                    if (row + RinglogSql.ROWS <= to) {
                        for (int i = 0; i < RinglogSql.ROWS; i++) {
                            QueuedEvent e = events[row + i];
                            BenchEvents.bind(many, i * 5, e.id(), e.epochMicros(), e.type(), e.actor(), e.payload());
                        }
                        many.addBatch();
                        anyMany = true;
                        row += RinglogSql.ROWS;
                    } else {
                        QueuedEvent e = events[row];
                        BenchEvents.bind(one, 0, e.id(), e.epochMicros(), e.type(), e.actor(), e.payload());
                        one.addBatch();
                        anyOne = true;
                        row++;
                    }
                }
                if (anyMany) {
                    many.executeBatch();
                }
                if (anyOne) {
                    one.executeBatch();
                }
                connection.commit();
            }
            return events.length;
        }
    }

    @Benchmark
    public long ringlog(Db db, Ringlog s) throws InterruptedException {
        EventLog<LogEvent> log = s.log;
        // The workload is a fixed count of events: one invocation, timed once.
        long accepted = fromProducers(db, i -> log.publish(LogEvent::set, BenchEvents.TYPE, BenchEvents.ACTOR, BenchEvents.PAYLOAD));
        if (accepted != db.events || !log.flush(MAX_WAIT)) {
            throw new IllegalStateException("ringlog: " + accepted + " of " + db.events + " accepted; " + log.stats());
        }
        return log.stats().written();
    }

    @Benchmark
    public long queueAndThread(Db db, QueueAndThread s) throws InterruptedException {
        return s.writer.publishAndAwait(db, "queueAndThread");
    }

    @Benchmark
    public long queueAndThreadSameSql(Db db, QueueAndThreadSameSql s) throws InterruptedException {
        return s.writer.publishAndAwait(db, "queueAndThreadSameSql");
    }

    @Benchmark
    @SuppressWarnings({"rawtypes", "unchecked"})
    public long log4j2JdbcAppender(Db db, Log4j2Jdbc s) throws InterruptedException {
        Logger logger = s.logger;
        fromProducers(db, i -> {
            MapMessage m = new MapMessage(4)
                    .with("id", Long.valueOf(i))
                    .with("type", BenchEvents.TYPE)
                    .with("actor", BenchEvents.ACTOR)
                    .with("payload", BenchEvents.PAYLOAD);
            logger.info(m);
            return true;
        });
        // The appender writes in order, one transaction per buffer: from one producer, the last id in the table
        // means all are committed; from several, the ids interleave, so the rows are counted once the last is in.
        return awaitCommitted(db.events, () -> {
            long upTo = s.db.db.lastId(Log4j2Jdbc.TABLE) + 1;
            return upTo < db.events || db.producers == 1 ? upTo : s.db.db.rows(Log4j2Jdbc.TABLE);
        }, () -> null, 5_000_000, "log4j2JdbcAppender");
    }

    @Benchmark
    public long rawBatchInsert(Db db, RawBatch s) throws SQLException {
        PreparedStatement ps = s.insert;
        QueuedEvent[] events = s.prebuilt;
        for (int i = 0; i < events.length; i++) {
            QueuedEvent e = events[i];
            BenchEvents.bind(ps, 0, e.id(), e.epochMicros(), e.type(), e.actor(), e.payload());
            ps.addBatch();
            if ((i + 1) % BATCH == 0 || i == events.length - 1) {
                ps.executeBatch();
                s.connection.commit();
            }
        }
        return events.length;
    }

    @Benchmark
    public long rawFastest(Db db, RawFastest s) throws SQLException {
        return s.copy != null ? s.copyAll() : s.multiRowAll();
    }

    /**
     * Calls {@code publish} for every event index of the invocation, from {@code db.producers} threads:
     * thread t takes t, t + producers, ... (so ids stay unique); one producer is the calling thread
     * itself. Returns how many calls returned true.
     */
    static long fromProducers(Db db, java.util.function.IntPredicate publish) throws InterruptedException {
        int producers = db.producers;
        int events = db.events;
        if (producers == 1) {
            long accepted = 0;
            for (int i = 0; i < events; i++) {
                if (publish.test(i)) {
                    accepted++;
                }
            }
            return accepted;
        }
        java.util.concurrent.atomic.LongAdder accepted = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] threads = new Thread[producers];
        for (int t = 0; t < producers; t++) {
            int first = t;
            threads[t] = new Thread(() -> {
                try {
                    long mine = 0;
                    for (int i = first; i < events; i += producers) {
                        if (publish.test(i)) {
                            mine++;
                        }
                    }
                    accepted.add(mine);
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "e2e-producer-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(MAX_WAIT.toMillis());
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " still publishing after " + MAX_WAIT);
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a producer failed", failure.get());
        }
        return accepted.sum();
    }

    /**
     * Waits until {@code committed} reaches {@code events}, pausing from {@code firstPauseNanos} up to
     * 1 ms (or {@code firstPauseNanos} if longer) between reads, like ringlog's flush; fails if it
     * stalls. The table read for Log4j2 waits 5 ms each time: a query costs the shared 2 cores far more
     * than a volatile read, and 5 ms late is at most 0.1% of a run of seconds.
     */
    static long awaitCommitted(long events, java.util.function.LongSupplier committed,
                               java.util.function.Supplier<Throwable> failure, long firstPauseNanos, String system) {
        long stallLimit = STALL.toNanos();
        long lastProgress = System.nanoTime();
        long last = -1;
        long pause = firstPauseNanos;
        long done;
        while ((done = committed.getAsLong()) < events) {
            long now = System.nanoTime();
            if (done != last) {
                last = done;
                lastProgress = now;
            }
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException(system + ": the writer failed after " + done + " rows", t);
            }
            if (now - lastProgress > stallLimit) {
                throw new IllegalStateException(system + ": stuck at " + done + " of " + events
                        + " committed rows for " + STALL + " (see the errors above)");
            }
            LockSupport.parkNanos(pause);
            pause = Math.max(Math.min(pause * 2, 1_000_000), firstPauseNanos);
        }
        return done;
    }
}
