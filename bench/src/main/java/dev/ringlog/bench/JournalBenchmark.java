package dev.ringlog.bench;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.SyncPolicy;
import dev.ringlog.jdbc.JdbcSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * What the journal costs, against the same log without it ({@code journal=off}), for each sync policy
 * ({@code none}, {@code 100ms}, {@code batch}):
 * <ul>
 *   <li>{@link #publish}: the producer's publish while the consumers keep up (the same think time as
 *       {@link PublishBenchmark}, {@code thinkTokens}; subtract {@link PublishBenchmark#pacing}'s
 *       percentile), sample time for p50/p99. The journal is a consumer: the producer path is the
 *       same code, and what can differ is contention for the two cores and how soon slots come back.</li>
 *   <li>{@link #endToEnd}: {@code events} events from the first publish to the last row committed to
 *       H2 (single shot; events/s is {@code events / time}), overflow BLOCK, nothing dropped.</li>
 * </ul>
 * The journal lives in a fresh directory under {@code java.io.tmpdir} per trial (or
 * {@code -Dringlog.bench.journalDir}): the disk it is on is what the sync policies measure.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class JournalBenchmark {

    /** {@code off}, or the {@code ringlog.journal.sync} value of the journal. */
    static EventLog.Builder<LogEvent> journal(EventLog.Builder<LogEvent> builder, String journal, Path dir) {
        return switch (journal) {
            case "off" -> builder;
            case "none" -> builder.journal(dir, SyncPolicy.NONE);
            case "batch" -> builder.journal(dir, SyncPolicy.PER_BATCH);
            default -> builder.journal(dir, SyncPolicy.every(Duration.ofMillis(Long.parseLong(journal.replace("ms", "")))));
        };
    }

    static Path freshDirectory() {
        try {
            String base = System.getProperty("ringlog.bench.journalDir", System.getProperty("java.io.tmpdir"));
            return Files.createTempDirectory(Path.of(base), "ringlog-journal-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log publish measures: ring 65,536, DROP, a sink that does nothing; the journal per {@code journal}. */
    @State(Scope.Benchmark)
    public static class PublishLog {
        @Param({"off", "none", "100ms", "batch"})
        public String journal;

        EventLog<LogEvent> log;
        Path dir;

        @Setup(Level.Trial)
        public void start() {
            dir = freshDirectory();
            log = journal(EventLog.builder(LogEvent::new, new PublishBenchmark.NoopSink()), journal, dir)
                    .name("journal-bench").ringSize(PublishBenchmark.RING_SIZE).overflow(OverflowPolicy.DROP)
                    .shutdownHook(false).jmx(false).start();
        }

        @TearDown(Level.Trial)
        public void stop() {
            log.close();
            EventLog.Stats s = log.stats();
            if (s.pending() != 0 || s.accepted() != s.written() + s.failed()) {
                throw new IllegalStateException("accounting broken after close: " + s);
            }
            delete(dir);
        }
    }

    /** Publish calls refused (ring full), per iteration. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Drops {
        public long dropped;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public boolean publish(PublishLog s, PublishBenchmark.Fields f, Drops d, PublishBenchmark.Pace p) {
        Blackhole.consumeCPU(p.thinkTokens);
        boolean accepted = s.log.publish(LogEvent::set, f.type, f.actor, f.payload);
        if (!accepted) {
            d.dropped++;
        }
        return accepted;
    }

    /** The log endToEnd measures: ring 65,536, maxBatchSize 1,000, BLOCK, the JDBC sink on H2; a new table and journal each iteration. */
    @State(Scope.Benchmark)
    public static class EndToEndLog {
        static final String TABLE = "e2e_journal";

        @Param({"off", "none", "100ms", "batch"})
        public String journal;

        @Param("200000")
        public int events;

        BenchDatabase db;
        EventLog<LogEvent> log;
        Path dir;

        @Setup(Level.Trial)
        public void open() {
            db = BenchDatabase.open(BenchDatabase.H2, "e2e-journal", 4);
        }

        @Setup(Level.Iteration)
        public void start() throws SQLException {
            db.recreate(TABLE);
            dir = freshDirectory();
            log = journal(EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(db.dataSource()).table(TABLE).build()), journal, dir)
                    .name("e2e-journal").ringSize(65_536).maxBatchSize(EndToEndBenchmark.BATCH)
                    .overflow(OverflowPolicy.BLOCK).shutdownHook(false).jmx(false).start();
        }

        @TearDown(Level.Iteration)
        public void stop() throws SQLException {
            log.close();
            db.expectRows(TABLE, events, "ringlog journal=" + journal);
            delete(dir);
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long endToEnd(EndToEndLog s) {
        EventLog<LogEvent> log = s.log;
        long accepted = 0;
        for (int i = 0; i < s.events; i++) {
            if (log.publish(LogEvent::set, BenchEvents.TYPE, BenchEvents.ACTOR, BenchEvents.PAYLOAD)) {
                accepted++;
            }
        }
        if (accepted != s.events || !log.flush(EndToEndBenchmark.MAX_WAIT)) {
            throw new IllegalStateException("journal=" + s.journal + ": " + accepted + " of " + s.events + " accepted; " + log.stats());
        }
        return log.stats().written();
    }
}
