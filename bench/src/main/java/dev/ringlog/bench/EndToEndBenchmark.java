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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
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
 * {@code events} (1,000,000) events from one thread and returns only when all of them are committed
 * to the database, into a table that each iteration creates empty; each iteration's teardown checks
 * that the table holds exactly {@code events} rows. JMH reports the time of one invocation
 * ({@code SingleShotTime}); events/s is {@code events / time}, as {@code ChartRenderer} prints it.
 *
 * <p>{@code -p database=h2} (an H2 2.3 file database, default settings) or {@code postgresql} (the
 * server at {@code RINGLOG_PG_URL}; setup fails with a message naming the URL when it does not answer,
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
        @Param({BenchDatabase.H2, BenchDatabase.POSTGRESQL})
        public String database;

        @Param("1000000")
        public int events;

        BenchDatabase db;
        private final List<Runnable> beforeClose = new ArrayList<>();

        @Setup(Level.Trial)
        public void open() {
            db = BenchDatabase.open(database, "e2e", 4);
        }

        /** Runs {@code r} before the pool closes: JMH does not order the teardowns of dependent states. */
        void beforeClose(Runnable r) {
            beforeClose.add(r);
        }

        @TearDown(Level.Trial)
        public void close() {
            beforeClose.forEach(Runnable::run);
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
     * and inserts them as one JDBC batch and one commit.
     */
    @State(Scope.Benchmark)
    public static class QueueAndThread {
        static final String TABLE = "e2e_queue";
        ArrayBlockingQueue<QueuedEvent> queue;
        Thread writer;
        volatile long committed;
        volatile Throwable failure;
        Db db;

        @Setup(Level.Iteration)
        public void start(Db db) throws SQLException {
            this.db = db;
            db.db.recreate(TABLE);
            queue = new ArrayBlockingQueue<>(65_536);
            committed = 0;
            failure = null;
            writer = new Thread(this::write, "e2e-queue-writer");
            writer.setDaemon(true);
            writer.start();
        }

        private void write() {
            List<QueuedEvent> batch = new ArrayList<>(BATCH);
            try (Connection c = db.db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO " + TABLE + " (id, ts, type, actor, payload) VALUES (?, ?, ?, ?, ?)")) {
                    while (true) {
                        batch.add(queue.take());
                        queue.drainTo(batch, BATCH - 1);
                        for (QueuedEvent e : batch) {
                            BenchEvents.bind(ps, e.id(), e.epochMicros(), e.type(), e.actor(), e.payload());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                        c.commit();
                        committed += batch.size(); // one writer
                        batch.clear();
                    }
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure = t;
            }
        }

        @TearDown(Level.Iteration)
        public void stop() throws Exception {
            writer.interrupt();
            writer.join(30_000);
            db.db.expectRows(TABLE, db.events, "queueAndThread");
        }
    }

    /**
     * Log4j2 2.24 all-async loggers (as in {@link PublishBenchmark}) with its JDBC appender,
     * {@code bufferSize=1000}, on the HikariCP pool, logging a {@code MapMessage} per event.
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
            Log4jConnections.use(db.db.dataSource());
            context = Log4jSetup.toJdbcAppender(TABLE);
            logger = context.getLogger("bench");
            db.beforeClose(() -> Configurator.shutdown(context)); // its shutdown takes a pooled connection
        }

        @Setup(Level.Iteration)
        public void emptyTable() throws SQLException {
            db.db.recreate(TABLE); // the appender holds no connection between flushes
            Log4jConnections.resetCount();
        }

        @TearDown(Level.Iteration)
        public void check() throws SQLException {
            db.db.expectRows(TABLE, db.events, "log4j2JdbcAppender");
        }
    }

    /** The ceiling: one thread inserting pre-built events in batches of 1,000, one commit each, no queue. */
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
            prebuilt = new QueuedEvent[db.events];
            for (int i = 0; i < prebuilt.length; i++) {
                prebuilt[i] = new QueuedEvent(i, BenchEvents.nowMicros(), BenchEvents.TYPE, BenchEvents.ACTOR, BenchEvents.PAYLOAD);
            }
        }

        @Setup(Level.Iteration)
        public void open() throws SQLException {
            db.db.recreate(TABLE);
            connection = db.db.dataSource().getConnection();
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(
                    "INSERT INTO " + TABLE + " (id, ts, type, actor, payload) VALUES (?, ?, ?, ?, ?)");
        }

        @TearDown(Level.Iteration)
        public void close() throws SQLException {
            insert.close();
            connection.close();
            db.db.expectRows(TABLE, db.events, "rawBatchInsert");
        }
    }

    @Benchmark
    public long ringlog(Db db, Ringlog s) {
        EventLog<LogEvent> log = s.log;
        long accepted = 0;
        for (int i = 0; i < db.events; i++) { // the workload is a fixed count of events: one invocation, timed once
            if (log.publish(LogEvent::set, BenchEvents.TYPE, BenchEvents.ACTOR, BenchEvents.PAYLOAD)) {
                accepted++;
            }
        }
        if (accepted != db.events || !log.flush(MAX_WAIT)) {
            throw new IllegalStateException("ringlog: " + accepted + " of " + db.events + " accepted; " + log.stats());
        }
        return log.stats().written();
    }

    @Benchmark
    public long queueAndThread(Db db, QueueAndThread s) throws InterruptedException {
        for (int i = 0; i < db.events; i++) {
            s.queue.put(new QueuedEvent(i, BenchEvents.nowMicros(), BenchEvents.TYPE, BenchEvents.ACTOR, BenchEvents.PAYLOAD));
        }
        return awaitCommitted(db.events, () -> s.committed, () -> s.failure, "queueAndThread");
    }

    @Benchmark
    @SuppressWarnings({"rawtypes", "unchecked"})
    public long log4j2JdbcAppender(Db db, Log4j2Jdbc s) {
        Logger logger = s.logger;
        for (int i = 0; i < db.events; i++) {
            MapMessage m = new MapMessage(4)
                    .with("id", Long.valueOf(i))
                    .with("type", BenchEvents.TYPE)
                    .with("actor", BenchEvents.ACTOR)
                    .with("payload", BenchEvents.PAYLOAD);
            logger.info(m);
        }
        return awaitCommitted(db.events, Log4jConnections::committedRows, () -> null, "log4j2JdbcAppender");
    }

    @Benchmark
    public long rawBatchInsert(Db db, RawBatch s) throws SQLException {
        PreparedStatement ps = s.insert;
        QueuedEvent[] events = s.prebuilt;
        for (int i = 0; i < events.length; i++) {
            QueuedEvent e = events[i];
            BenchEvents.bind(ps, e.id(), e.epochMicros(), e.type(), e.actor(), e.payload());
            ps.addBatch();
            if ((i + 1) % BATCH == 0 || i == events.length - 1) {
                ps.executeBatch();
                s.connection.commit();
            }
        }
        return events.length;
    }

    /** Waits, with the same growing pause as ringlog's flush, until {@code committed} reaches {@code events}; fails if it stalls. */
    private static long awaitCommitted(long events, java.util.function.LongSupplier committed,
                                       java.util.function.Supplier<Throwable> failure, String system) {
        long stallLimit = STALL.toNanos();
        long lastProgress = System.nanoTime();
        long last = -1;
        long pause = 1_000;
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
            pause = Math.min(pause * 2, 1_000_000);
        }
        return done;
    }
}
