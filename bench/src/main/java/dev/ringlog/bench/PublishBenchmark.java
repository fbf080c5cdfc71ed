package dev.ringlog.bench;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.Sink;
import dev.ringlog.bench.BenchEvents.QueuedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
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
 * The cost of handing one event to each system while its consumer keeps up: one method per system,
 * each publishing the same three strings (type, actor, payload) and a timestamp. Run it at 1 and 2
 * producer threads with {@code -t 1} and {@code -t 2}; add {@code -prof gc} for the allocation per
 * event. Where a system can drop an event, the drops are reported as the secondary result
 * {@code dropped} (events per iteration, summed over threads).
 *
 * <p>Each system gets its own state, so a benchmark starts only the consumer thread of the system it
 * measures. The configurations (the fair ones written out in the README) are in each state's Javadoc.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g",
        Log4jSetup.ALL_ASYNC, Log4jSetup.SLEEP_WAIT, Log4jSetup.THREADLOCALS, Log4jSetup.DIRECT_ENCODERS,
        Log4jSetup.GC_FREE_CONTEXT, Log4jSetup.NOT_WEBAPP, Log4jSetup.QUIET})
public class PublishBenchmark {

    static final int RING_SIZE = 65_536;

    /** The strings every system publishes, read from a field so that nothing is constant-folded. */
    @State(Scope.Benchmark)
    public static class Fields {
        String type = BenchEvents.TYPE;
        String actor = BenchEvents.ACTOR;
        String payload = BenchEvents.PAYLOAD;
    }

    /**
     * The producer's think time before each publish, spent inside the measured method with
     * {@link Blackhole#consumeCPU} ({@code thinkTokens} tokens, about 1.7 us on this machine's Xeon; the
     * {@link #pacing} method measures it alone). Without it every system is measured in overload rather
     * than "while its consumer keeps up": a producer publishing back to back on a 2-core machine
     * outruns even the raw Disruptor's no-op consumer and most publishes become drops (measured: 40-80%
     * for ringlog and disruptorRaw alike), which are cheaper than publishes.
     *
     * <p>Why not {@code @Setup(Level.Invocation)}, as before: JMH reserves it for methods that take
     * more than a millisecond. Each call then carries the harness's own timestamps and bookkeeping
     * (hundreds of ns here), the same for every system, which pulls every ratio toward 1. Inside the
     * method the think time is a fixed, measured amount of work: a system's own cost is its
     * percentile minus the same percentile of {@link #pacing} ({@code ChartRenderer} prints both).
     */
    @State(Scope.Thread)
    public static class Pace {
        @Param("1000")
        public long thinkTokens;
    }

    /** Publish calls that a system refused (ring or queue full), per iteration, summed over threads. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Drops {
        public long dropped;
        long logged; // Logback drops silently: counted against what its appender received, see LogbackAsync

        @TearDown(Level.Iteration)
        public void report() {
            LogbackAsync.LOGGED.addAndGet(logged);
            logged = 0;
        }
    }

    /** ringlog with its defaults: ring 65,536, maxBatchSize 1,000, DROP, SLEEP wait strategy; a sink that does nothing. */
    @State(Scope.Benchmark)
    public static class Ringlog {
        EventLog<LogEvent> log;

        @Setup(Level.Trial)
        public void start() {
            log = EventLog.builder(LogEvent::new, new NoopSink())
                    .name("bench").ringSize(RING_SIZE).maxBatchSize(1_000)
                    .overflow(OverflowPolicy.DROP)
                    .waitStrategy(EventLog.WaitStrategy.SLEEP)
                    .shutdownHook(false)
                    .start();
        }

        @TearDown(Level.Trial)
        public void stop() {
            log.close();
            EventLog.Stats s = log.stats();
            if (s.pending() != 0 || s.accepted() != s.written() + s.failed()) {
                throw new IllegalStateException("ringlog accounting broken after close: " + s);
            }
        }
    }

    /**
     * A Disruptor 4 MULTI ring of 65,536 {@code LogEvent}s, {@code tryPublishEvent} with a three-argument
     * translator (drops when full, like ringlog's DROP), a no-op {@code EventHandler}, and
     * {@code SleepingWaitStrategy} (producers never signal, like ringlog's SLEEP).
     */
    @State(Scope.Benchmark)
    public static class DisruptorRaw {
        static final EventTranslatorThreeArg<LogEvent, String, String, String> SET =
                (event, sequence, type, actor, payload) -> event.set(type, actor, payload);
        Disruptor<LogEvent> disruptor;
        RingBuffer<LogEvent> ring;

        @Setup(Level.Trial)
        public void start() {
            disruptor = new Disruptor<>(LogEvent::new, RING_SIZE, DaemonThreadFactory.INSTANCE, ProducerType.MULTI,
                    new SleepingWaitStrategy());
            disruptor.handleEventsWith((EventHandler<LogEvent>) (event, sequence, endOfBatch) -> { });
            ring = disruptor.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            disruptor.shutdown(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The classic design: an {@code ArrayBlockingQueue} of 65,536 immutable event objects, {@code offer}
     * (drops when full), drained by one thread with {@code take} + {@code drainTo} (up to 1,024 at a time).
     */
    @State(Scope.Benchmark)
    public static class Abq {
        final ArrayBlockingQueue<QueuedEvent> queue = new ArrayBlockingQueue<>(RING_SIZE);
        Thread drainer;
        volatile long drained;

        @Setup(Level.Trial)
        public void start() {
            drainer = new Thread(() -> {
                List<QueuedEvent> batch = new ArrayList<>(1_024);
                try {
                    while (true) {
                        batch.add(queue.take());
                        queue.drainTo(batch, 1_023);
                        drained += batch.size();
                        batch.clear();
                    }
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }, "abq-drainer");
            drainer.setDaemon(true);
            drainer.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            drainer.interrupt();
            drainer.join(10_000);
        }
    }

    /**
     * Log4j2 2.24 all-async loggers (AsyncLoggerContextSelector), its garbage-free settings (whether it
     * then allocates nothing is what {@code -prof gc} measures: see B/op), SLEEP wait
     * strategy, default ring (262,144) and queue-full policy (waits: never drops), to its
     * {@code NullAppender}; a parameterized message with the three fields.
     */
    @State(Scope.Benchmark)
    public static class Log4j2Async {
        LoggerContext context;
        Logger logger;

        @Setup(Level.Trial)
        public void start() {
            context = Log4jSetup.toNullAppender();
            logger = context.getLogger("bench");
        }

        @TearDown(Level.Trial)
        public void stop() {
            Configurator.shutdown(context);
        }
    }

    /**
     * Logback 1.5 {@code AsyncAppender}: queueSize 65,536 (as ringlog's ring), discardingThreshold 0 (no
     * silent discarding of INFO events at 80% full, the default), neverBlock true (drops when full, like
     * ringlog's DROP), includeCallerData false (default), over an appender that does nothing.
     */
    @State(Scope.Benchmark)
    public static class LogbackAsync {
        static final AtomicLong LOGGED = new AtomicLong();
        ch.qos.logback.classic.LoggerContext context;
        AsyncAppender async;
        NoopAppender noop;
        org.slf4j.Logger logger;

        @Setup(Level.Trial)
        public void start() {
            LOGGED.set(0);
            context = new ch.qos.logback.classic.LoggerContext();
            context.setName("bench");
            context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
            context.start();
            noop = new NoopAppender();
            noop.setContext(context);
            noop.start();
            async = new AsyncAppender();
            async.setContext(context);
            async.setName("async");
            async.setQueueSize(RING_SIZE);
            async.setDiscardingThreshold(0);
            async.setNeverBlock(true);
            async.addAppender(noop);
            async.start();
            ch.qos.logback.classic.Logger l = context.getLogger("bench");
            l.setLevel(ch.qos.logback.classic.Level.INFO);
            l.setAdditive(false);
            l.addAppender(async);
            logger = l;
        }

        @TearDown(Level.Trial)
        public void stop() {
            async.stop(); // waits for the queue to drain (maxFlushTime, 1 s by default)
            long logged = LOGGED.get();
            long appended = noop.appended;
            // Not in the JSON (the counter would need a shared atomic on the hot path); printed with the run.
            System.out.println("logbackAsyncAppender: " + logged + " logged, " + appended + " appended, "
                    + (logged - appended) + " dropped by neverBlock");
            context.stop();
        }
    }

    /** H2 2.3 file database (default settings), a HikariCP pool, one connection per producer thread. */
    @State(Scope.Benchmark)
    public static class SyncJdbc {
        static final String TABLE = "publish_sync";
        final AtomicLong ids = new AtomicLong();
        BenchDatabase db;

        @Setup(Level.Trial)
        public void start() throws SQLException {
            db = BenchDatabase.open(BenchDatabase.H2, "publish", 4);
            db.recreate(TABLE);
        }

        @TearDown(Level.Trial)
        public void stop() {
            db.close();
        }
    }

    /** The producer thread's connection and prepared insert, autocommit off. */
    @State(Scope.Thread)
    public static class SyncJdbcConnection {
        SyncJdbc shared;
        Connection connection;
        PreparedStatement insert;

        @Setup(Level.Trial)
        public void open(SyncJdbc shared) throws SQLException {
            this.shared = shared;
            connection = shared.db.dataSource().getConnection();
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(RinglogSql.insert(SyncJdbc.TABLE, 1));
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            if (!shared.db.dataSource().isClosed()) { // JMH may tear the shared pool down first
                insert.close();
                connection.close();
            }
        }
    }

    /** The think time alone: subtract its percentiles from every other method's to get that system's own cost. */
    @Benchmark
    public void pacing(Pace p) {
        Blackhole.consumeCPU(p.thinkTokens);
    }

    @Benchmark
    public boolean ringlog(Ringlog s, Fields f, Drops d, Pace p) {
        Blackhole.consumeCPU(p.thinkTokens);
        return counted(s.log.publish(LogEvent::set, f.type, f.actor, f.payload), d);
    }

    @Benchmark
    public boolean disruptorRaw(DisruptorRaw s, Fields f, Drops d, Pace p) {
        Blackhole.consumeCPU(p.thinkTokens);
        return counted(s.ring.tryPublishEvent(DisruptorRaw.SET, f.type, f.actor, f.payload), d);
    }

    @Benchmark
    public boolean arrayBlockingQueue(Abq s, Fields f, Drops d, Pace p) {
        Blackhole.consumeCPU(p.thinkTokens);
        return counted(s.queue.offer(new QueuedEvent(0, BenchEvents.nowMicros(), f.type, f.actor, f.payload)), d);
    }

    @Benchmark
    public void log4j2AsyncLogger(Log4j2Async s, Fields f, Pace p) {
        Blackhole.consumeCPU(p.thinkTokens);
        s.logger.info("{} {} {}", f.type, f.actor, f.payload);
    }

    @Benchmark
    public void logbackAsyncAppender(LogbackAsync s, Fields f, Drops d, Pace p) {
        Blackhole.consumeCPU(p.thinkTokens);
        s.logger.info("{} {} {}", f.type, f.actor, f.payload);
        d.logged++;
    }

    @Benchmark
    public int syncJdbcInsert(SyncJdbc s, SyncJdbcConnection c, Fields f, Pace p) throws SQLException {
        Blackhole.consumeCPU(p.thinkTokens);
        BenchEvents.bind(c.insert, 0, s.ids.incrementAndGet(), BenchEvents.nowMicros(), f.type, f.actor, f.payload);
        int rows = c.insert.executeUpdate();
        c.connection.commit();
        return rows;
    }

    private static boolean counted(boolean accepted, Drops d) {
        if (!accepted) {
            d.dropped++;
        }
        return accepted;
    }

    /** A sink that does nothing: the publish cost alone. */
    static final class NoopSink implements Sink<LogEvent> {
        @Override
        public void add(LogEvent event) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** A Logback appender that only counts (on the AsyncAppender's worker thread). */
    static final class NoopAppender extends AppenderBase<ILoggingEvent> {
        volatile long appended;

        @Override
        protected void append(ILoggingEvent event) {
            appended++; // one writer thread: the AsyncAppender's worker
        }
    }
}
