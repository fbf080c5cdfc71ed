package dev.ringlog.bench;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.Sink;
import dev.ringlog.jdbc.JdbcSink;
import dev.ringlog.jdbc.WritePath;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rows per second the standard {@code JdbcSink} writes through each {@link WritePath}: the benchmark
 * that chose {@code WritePath}'s default per database. Each invocation writes {@value #ROWS} rows that
 * are already in the log's ring (published in the untimed setup while a gate holds the sink), in
 * batches of {@value #BATCH}, each its own transaction, as a first attempt (plain {@code INSERT} or
 * COPY; re-deliveries after a failure are rare and take the idempotent insert): the time is the sink's
 * alone, from opening the gate to the last commit. One connection, the standard indexed table (created
 * by the sink, emptied every iteration), the same pool settings as every other benchmark
 * ({@code reWriteBatchedInserts=true} on PostgreSQL; on MariaDB Connector/J's default bulk protocol for batched INSERTs).
 *
 * <p>{@code -p database=h2,postgresql,mariadb -p path=JDBC_BATCH,MULTI_ROW,POSTGRES_COPY};
 * {@code POSTGRES_COPY} elsewhere than PostgreSQL measures that database's default, so {@code bench/run}
 * leaves it out there. A server that does not answer fails the setup with a message naming its URL.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(WritePathBenchmark.ROWS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class WritePathBenchmark {

    static final int ROWS = 20_000;
    static final int BATCH = 1_000;
    static final String TABLE = "bench_write_path";
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Param({BenchDatabase.H2, BenchDatabase.POSTGRESQL, BenchDatabase.MARIADB})
    public String database;

    @Param({"JDBC_BATCH", "MULTI_ROW", "POSTGRES_COPY"})
    public WritePath path;

    private BenchDatabase db;
    private EventLog<LogEvent> log;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private long written;

    /** The sink under test, held at its first {@code add} while the gate is closed. */
    private final class Gated implements Sink<LogEvent> {
        private final JdbcSink<LogEvent> sink;

        Gated(JdbcSink<LogEvent> sink) {
            this.sink = sink;
        }

        @Override
        public void add(LogEvent event) throws Exception {
            if (!gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the benchmark did not open the gate within " + WAIT);
            }
            sink.add(event);
        }

        @Override
        public void flush() throws Exception {
            sink.flush();
        }

        @Override
        public boolean isRetryable(Throwable failure) {
            return sink.isRetryable(failure);
        }

        @Override
        public void close() {
            sink.close();
        }
    }

    @Setup(Level.Trial)
    public void open() {
        db = BenchDatabase.open(database, "write-path", 2);
    }

    @Setup(Level.Iteration)
    public void start() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
        JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(db.dataSource()).table(TABLE).writePath(path).build();
        log = EventLog.builder(LogEvent::new, new Gated(sink))
                .name("write-path").ringSize(32_768).maxBatchSize(BATCH)
                .overflow(OverflowPolicy.BLOCK).shutdownHook(false)
                .start();
        written = 0;
    }

    /** Closes the gate and fills the ring: the sink waits at the first row. */
    @Setup(Level.Invocation)
    public void publish() {
        gate = new CountDownLatch(1);
        for (int i = 0; i < ROWS; i++) {
            if (!log.publish(LogEvent::set, BenchEvents.TYPE, BenchEvents.ACTOR, BenchEvents.PAYLOAD)) {
                throw new IllegalStateException("publish refused: " + log.stats());
            }
        }
        written += ROWS;
    }

    @Benchmark
    public void write() {
        gate.countDown();
        if (!log.flush(WAIT)) {
            throw new IllegalStateException(path + " on " + database + ": not committed within " + WAIT + ": " + log.stats());
        }
    }

    @TearDown(Level.Iteration)
    public void stop() throws SQLException {
        gate.countDown();
        log.close();
        if (log.stats().failed() != 0 || log.stats().retries() != 0) {
            throw new IllegalStateException(path + " on " + database + ": failures while measuring: " + log.stats());
        }
        db.expectRows(TABLE, written, path + " on " + database);
    }

    @TearDown(Level.Trial)
    public void close() {
        db.close();
    }
}
