package dev.ringlog.bench;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.JdbcSink;
import dev.ringlog.OverflowPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The story in DESIGN.md: what a request pays for its log row when every commit takes
 * {@code commitMillis} (85 ms, a cloud VM's fsync), with the row inserted on the request's thread
 * ({@code syncInsert}) or published to ringlog ({@code ringlog}) whose sink thread pays the 85 ms per
 * batch instead. Both write to the same H2 file database through a connection decorator that sleeps
 * in {@code commit}.
 *
 * <p>Requests arrive every {@code requestIntervalMicros} (200 us: 5,000 requests/s), spent outside the
 * measurement, so that ringlog's sink (up to 1,000 events per 85 ms commit, ~11,700 events/s) keeps
 * up and nothing is dropped; drops would show in {@code dropped}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SlowStorageBenchmark {

    /** The H2 file database behind a decorator that delays every commit. */
    @State(Scope.Benchmark)
    public static class Storage {
        static final String SYNC_TABLE = "slow_sync";
        static final String RINGLOG_TABLE = "slow_ringlog";

        @Param("85")
        public int commitMillis;

        BenchDatabase db;
        DataSource slow;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            db = BenchDatabase.open(BenchDatabase.H2, "slow", 4);
            db.recreate(SYNC_TABLE);
            db.recreate(RINGLOG_TABLE);
            slow = SlowCommitDataSource.wrap(db.dataSource(), Duration.ofMillis(commitMillis));
        }
    }

    /** The time between two requests of one thread, spent outside the measurement. */
    @State(Scope.Thread)
    public static class Requests {
        @Param("200")
        public long requestIntervalMicros;

        @Setup(Level.Invocation)
        public void betweenRequests() {
            long until = System.nanoTime() + requestIntervalMicros * 1_000;
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
        }
    }

    /** The request thread's own connection for the synchronous insert. */
    @State(Scope.Thread)
    public static class SyncConnection {
        Storage storage;
        Connection connection;
        PreparedStatement insert;
        long nextId;

        @Setup(Level.Trial)
        public void open(Storage storage) throws SQLException {
            this.storage = storage;
            connection = storage.slow.getConnection();
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(RinglogSql.insert(Storage.SYNC_TABLE, 1));
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            insert.close();
            connection.close();
            storage.db.close(); // the thread-scoped state is the last user of the pool here
        }
    }

    /** ringlog with its defaults (DROP, SLEEP, maxBatchSize 1,000) and the JDBC sink on the slow database. */
    @State(Scope.Benchmark)
    public static class Ringlog {
        EventLog<LogEvent> log;
        Storage storage;

        @Setup(Level.Trial)
        public void start(Storage storage) {
            this.storage = storage;
            log = EventLog.builder(LogEvent::new,
                            JdbcSink.forLogEvents(storage.slow).table(Storage.RINGLOG_TABLE).build())
                    .name("slow").ringSize(65_536).maxBatchSize(1_000)
                    .overflow(OverflowPolicy.DROP)
                    .shutdownHook(false)
                    .start();
        }

        @TearDown(Level.Trial)
        public void stop() throws SQLException {
            log.close();
            EventLog.Stats s = log.stats();
            storage.db.expectRows(Storage.RINGLOG_TABLE, s.written(), "ringlog");
            storage.db.close();
        }
    }

    /** Publish calls ringlog refused (ring full), per iteration. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Drops {
        public long dropped;
    }

    @Benchmark
    public int syncInsert(SyncConnection c, Requests r) throws SQLException {
        BenchEvents.bind(c.insert, 0, ++c.nextId, BenchEvents.nowMicros(), BenchEvents.TYPE, BenchEvents.ACTOR,
                BenchEvents.PAYLOAD);
        int rows = c.insert.executeUpdate();
        c.connection.commit();
        return rows;
    }

    @Benchmark
    public boolean ringlog(Ringlog s, Requests r, Drops d) {
        boolean accepted = s.log.publish(LogEvent::set, BenchEvents.TYPE, BenchEvents.ACTOR, BenchEvents.PAYLOAD);
        if (!accepted) {
            d.dropped++;
        }
        return accepted;
    }
}
