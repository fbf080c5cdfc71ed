package dev.ringlog.bench;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.SinkView;
import dev.ringlog.file.FileLogReader;
import dev.ringlog.file.FileSink;
import dev.ringlog.jdbc.JdbcSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A second sink on the ring: a log with an H2 database sink and a {@link FileSink} ({@code
 * sinks=db_file}) against the database sink alone ({@code sinks=db}), in the same run. The file sink
 * is the seeds' archive: gzip and AES-GCM ({@code encrypt=true}), the costliest frames it writes, so
 * the most its thread can take from the CPU the database sink and the producer share; {@code
 * -p encrypt=false} measures gzip alone.
 *
 * <ul>
 *   <li>{@code publish} (sample time, ns): the publish path while the sinks keep up, each publish after
 *       a fixed think time ({@code thinkTokens}, about 17 us here: H2 takes ~200,000 events/s, so the
 *       database keeps up at ~60,000/s) spent inside the method, as in {@link PublishBenchmark}; compare
 *       the two {@code sinks} values (the think time is the same in both; {@code pacing} measures it
 *       alone). Drops are the secondary result {@code dropped} (expected 0).</li>
 *   <li>{@code endToEnd} (single shot, ms): one thread publishes {@code events} events (overflow BLOCK)
 *       and the invocation ends when the database sink has committed all of them: the database sink's
 *       end-to-end rate is {@code events / time}. The file sink finishes in the teardown, which checks
 *       every table row, and reads every file line back with {@link FileLogReader} (each file clean).</li>
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class MultiSinkBenchmark {

    static final String DB_ONLY = "db";
    static final String DB_AND_FILE = "db_file";
    static final String TABLE = "multisink_events";

    /** The log under test, with one sink or two. */
    @State(Scope.Benchmark)
    public static class Sinks {
        @Param({DB_ONLY, DB_AND_FILE})
        public String sinks;

        /** Whether the file sink encrypts its (gzipped) frames. */
        @Param("true")
        public boolean encrypt;

        BenchDatabase db;
        EventLog<LogEvent> log;
        SecretKey key;
        Path dir;

        @Setup(Level.Trial)
        public void open() throws IOException {
            db = BenchDatabase.open(BenchDatabase.H2, "multisink", 2);
            dir = Files.createTempDirectory("ringlog-multisink");
            key = new SecretKeySpec(new byte[32], "AES"); // a fixed key: the cost of AES does not depend on it
        }

        /** A fresh table (and no files), a log with ring 65,536 and maxBatchSize 1,000 for each sink. */
        void start(OverflowPolicy overflow) throws SQLException, IOException {
            db.recreate(TABLE);
            deleteFiles();
            EventLog.Builder<LogEvent> b = EventLog.<LogEvent>builder(LogEvent::new).name("multisink")
                    .ringSize(65_536).maxBatchSize(1_000).overflow(overflow).shutdownHook(false).jmx(false)
                    .sink("db", JdbcSink.forLogEvents(db.dataSource()).table(TABLE).build());
            if (sinks.equals(DB_AND_FILE)) {
                FileSink.Builder<LogEvent> file = FileSink.forLogEvents(dir).gzip(true);
                b.sink("file", (encrypt ? file.encrypt(key) : file).build());
            }
            log = b.start();
        }

        /** Closes the log and checks that the table, and the files, hold every accepted event once. */
        void stop() throws SQLException, IOException {
            log.close();
            EventLog.Stats s = log.stats();
            if (s.pending() != 0 || s.failed() != 0) {
                throw new IllegalStateException("multisink: not all written: " + s);
            }
            db.expectRows(TABLE, log.sinks().get(0).stats().written(), "ringlog db sink");
            if (sinks.equals(DB_AND_FILE)) {
                long lines = 0;
                for (Path file : files()) {
                    try (FileLogReader reader = FileLogReader.open(file, key)) {
                        for (String line : reader) {
                            lines++;
                        }
                        if (!reader.report().clean()) {
                            throw new IllegalStateException("multisink: " + reader.report());
                        }
                    }
                }
                if (lines != s.accepted()) {
                    throw new IllegalStateException("multisink: " + lines + " file lines for " + s.accepted() + " accepted events");
                }
            }
        }

        private List<Path> files() throws IOException {
            try (Stream<Path> files = Files.list(dir)) {
                return files.toList();
            }
        }

        private void deleteFiles() throws IOException {
            for (Path p : files()) {
                Files.delete(p);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            db.close();
            deleteFiles();
            Files.delete(dir);
        }
    }

    /** For {@code publish}: one log per trial, DROP (a full ring shows as drops, not as waits). */
    @State(Scope.Benchmark)
    public static class PublishLog {
        Sinks s;

        @Setup(Level.Trial)
        public void start(Sinks sinks) throws SQLException, IOException {
            s = sinks;
            sinks.start(OverflowPolicy.DROP);
        }

        @TearDown(Level.Trial)
        public void stop() throws SQLException, IOException {
            s.stop();
        }
    }

    /** For {@code endToEnd}: a fresh table and log per iteration, BLOCK (nothing dropped). */
    @State(Scope.Benchmark)
    public static class EndToEndLog {
        @Param("500000")
        public int events;
        Sinks s;

        @Setup(Level.Iteration)
        public void start(Sinks sinks) throws SQLException, IOException {
            s = sinks;
            sinks.start(OverflowPolicy.BLOCK);
        }

        @TearDown(Level.Iteration)
        public void stop() throws SQLException, IOException {
            s.stop();
        }
    }

    /** The producer's think time before each publish; see {@link PublishBenchmark.Pace}. */
    @State(Scope.Thread)
    public static class Pace {
        @Param("10000")
        public long thinkTokens;
    }

    /** Publish calls refused (ring full), per iteration. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Drops {
        public long dropped;
    }

    /** The strings published, read from fields so that nothing is constant-folded. */
    @State(Scope.Thread)
    public static class Fields {
        String type = BenchEvents.TYPE;
        String actor = BenchEvents.ACTOR;
        String payload = BenchEvents.PAYLOAD;
    }

    /** The think time alone (no log is started for it): how much of {@code publish}'s percentiles it is. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 2)
    public void pacing(Pace p) {
        Blackhole.consumeCPU(p.thinkTokens);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 2)
    public boolean publish(PublishLog l, Fields f, Pace p, Drops d) {
        Blackhole.consumeCPU(p.thinkTokens);
        boolean accepted = l.s.log.publish(LogEvent::set, f.type, f.actor, f.payload);
        if (!accepted) {
            d.dropped++;
        }
        return accepted;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long endToEnd(EndToEndLog l, Fields f) {
        EventLog<LogEvent> log = l.s.log;
        for (int i = 0; i < l.events; i++) {
            if (!log.publish(LogEvent::set, f.type, f.actor, f.payload)) {
                throw new IllegalStateException("refused under BLOCK: " + log.stats());
            }
        }
        return awaitDatabase(log.sinks().get(0), l.events);
    }

    /** Waits until the database sink has written {@code events}, pausing as {@code flush} does; fails after 5 minutes. */
    private static long awaitDatabase(SinkView db, long events) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long pause = 1_000;
        long written;
        while ((written = db.stats().written()) < events) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("multisink: the database sink wrote " + written + " of " + events + " in 5 minutes");
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 1_000_000);
        }
        return written;
    }
}
