package dev.ringlog.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.Distribution;
import dev.ringlog.DropReason;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.RetryPolicy;
import dev.ringlog.SinkHealth;
import dev.ringlog.SinkState;
import dev.ringlog.jdbc.JdbcSink;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The meters read what the log says: after real traffic into an H2 file, and through a real outage of an H2 server. */
@Timeout(60)
class RinglogMetricsTest {

    private static final Set<String> METER_NAMES = Set.of("ringlog.events", "ringlog.events.dropped",
            "ringlog.events.pending", "ringlog.retries", "ringlog.batches", "ringlog.batches.events",
            "ringlog.batch.size.max", "ringlog.commit", "ringlog.commit.max", "ringlog.durable.ack", "ringlog.ring.capacity",
            "ringlog.ring.remaining", "ringlog.sink.state", "ringlog.sink.consecutive.failures", "ringlog.sink.failing",
            "ringlog.journal.records", "ringlog.journal.bytes", "ringlog.journal.syncs", "ringlog.journal.replayed",
            "ringlog.journal.damaged", "ringlog.journal.cut", "ringlog.journal.full.waits", "ringlog.journal.write.failures",
            "ringlog.journal.codec.failures");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void metersEqualTheLogsCountsAfterConcurrentProducersWriteToAnH2File(@TempDir Path dir) throws Exception {
        int threads = 4;
        int perThread = 5_000;
        try (HikariDataSource db = JdbcSink.embeddedH2(dir).open()) {
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(db).build())
                    .name("metrics-traffic").overflow(OverflowPolicy.BLOCK).shutdownHook(false).start();
            new RinglogMetrics(log, Tags.of("app", "test")).bindTo(registry);

            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService producers = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String actor = "producer-" + t;
                done.add(producers.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        log.publish(LogEvent::set, "page_view", actor, "{\"i\":" + i + "}");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            producers.shutdown();
            assertTrue(log.flush(Duration.ofSeconds(20)), "everything written within 20 s");

            EventLog.Stats stats = log.stats();
            long rows = count(db, "SELECT COUNT(DISTINCT id) FROM ringlog_events");
            assertEquals(new EventLog.Stats(threads * perThread, 0, threads * perThread, 0, 0, stats.batches(), 0),
                    stats);
            assertEquals(stats.written(), rows, "distinct ids in the table == written");
            assertMetersEqual(log);
            assertEquals(20_000, counter("ringlog.events", "result", "written"));
            assertEquals(20_000, counter("ringlog.batches.events", null, null), "every written event was in a batch");
            assertTrue(counter("ringlog.batches", null, null) >= 1);
            assertEquals(1, gauge("ringlog.sink.state", "state", "writing"));

            Set<String> names = new TreeSet<>();
            for (Meter meter : registry.getMeters()) {
                names.add(meter.getId().getName());
                assertEquals("metrics-traffic", meter.getId().getTag("name"), meter.getId().toString());
                assertEquals("test", meter.getId().getTag("app"), "the extra tags: " + meter.getId());
            }
            assertEquals(new TreeSet<>(METER_NAMES), names);
            assertEquals(34, registry.getMeters().size(),
                    "5 results, 5 drop reasons (JOURNAL_FULL among them), 3 states, 9 journal meters, 12 others");
            log.close();
            assertEquals(1, gauge("ringlog.sink.state", "state", "stopped"), "a closed log's meters say stopped");
            assertEquals(0, gauge("ringlog.sink.state", "state", "writing"));
        }
    }

    @Test
    void journalMetersReadTheJournalsCounters(@TempDir Path dir) throws Exception {
        try (HikariDataSource db = JdbcSink.embeddedH2(dir.resolve("db")).open()) {
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(db).build())
                    .name("metrics-journal").journal(dir.resolve("journal")).shutdownHook(false).start();
            new RinglogMetrics(log).bindTo(registry);
            for (int i = 0; i < 1_000; i++) {
                log.publish(LogEvent::set, "page_view", "actor", "{\"i\":" + i + "}");
            }
            assertTrue(log.flush(Duration.ofSeconds(20)));
            await(() -> log.journalStats().records() == 1_000, "every event journalled");
            EventLog.JournalStats stats = log.journalStats();
            assertEquals(1_000, counter("ringlog.journal.records", null, null));
            assertEquals(stats.syncs(), counter("ringlog.journal.syncs", null, null));
            assertTrue(stats.syncs() > 0, "the default sync policy syncs every batch");
            assertEquals(stats.bytes(), gauge("ringlog.journal.bytes", null, null));
            for (String name : new String[] {"ringlog.journal.replayed", "ringlog.journal.damaged", "ringlog.journal.cut",
                    "ringlog.journal.full.waits", "ringlog.journal.write.failures", "ringlog.journal.codec.failures"}) {
                assertEquals(0, counter(name, null, null), name);
            }
            log.close();
        }
    }

    @Test
    void showsAnOutageRetryingWithItsFailuresThenWritingAgainAfterTheServerComesBack(@TempDir Path dir)
            throws Exception {
        try (H2ServerProcess server = new H2ServerProcess(dir)) {
            int port = server.start(0);
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(server.url("outage") + ";WRITE_DELAY=0"); // each commit in the file: the kill loses none
            config.setUsername("sa");
            config.setPassword("");
            config.setMaximumPoolSize(2);
            config.setConnectionTimeout(250); // HikariCP's least: each attempt while the server is down fails in 250 ms
            config.setValidationTimeout(250);
            config.setInitializationFailTimeout(-1);
            try (HikariDataSource db = new HikariDataSource(config)) {
                EventLog<LogEvent> log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(db).build())
                        .name("metrics-outage").ringSize(64).maxBatchSize(64)
                        // Delays under HikariCP's 500 ms aliveBypassWindowMs: the pool would hand the dead
                        // connection out again unchecked if the sink returned it instead of evicting it
                        .retry(RetryPolicy.backoff(Duration.ofMillis(10), Duration.ofMillis(100)))
                        .shutdownHook(false).start();
                new RinglogMetrics(log).bindTo(registry);
                for (int i = 0; i < 50; i++) {
                    log.publish(LogEvent::set, "before", "a", "{}");
                }
                assertTrue(log.flush(Duration.ofSeconds(10)));
                assertMetersEqual(log);
                assertEquals(50, counter("ringlog.events", "result", "written"));
                assertEquals(1, gauge("ringlog.sink.state", "state", "writing"));

                server.kill(); // the database server dies: the sink's connection breaks, new ones are refused
                log.publish(LogEvent::set, "during", "a", "{}");
                await(() -> log.sinkHealth().consecutiveFailures() >= 3, "three failed attempts");
                for (int i = 0; i < 100; i++) {
                    log.publish(LogEvent::set, "during", "a", "{}"); // 63 fill the ring, 37 find it full
                }
                SinkHealth before = log.sinkHealth();
                double failures = gauge("ringlog.sink.consecutive.failures", null, null);
                double retries = counter("ringlog.retries", null, null);
                SinkHealth after = log.sinkHealth();
                assertEquals(SinkState.RETRYING, before.state(), before.toString());
                assertEquals(1, gauge("ringlog.sink.state", "state", "retrying"));
                assertEquals(0, gauge("ringlog.sink.state", "state", "writing"));
                assertEquals(0, gauge("ringlog.sink.state", "state", "stopped"));
                assertTrue(failures >= 3 && before.consecutiveFailures() <= failures
                                && failures <= after.consecutiveFailures(),
                        "the gauge reads the health's count: " + before.consecutiveFailures() + " <= " + failures
                                + " <= " + after.consecutiveFailures());
                assertTrue(retries >= failures, "each failed attempt is retried: " + retries + " retries, " + failures
                        + " failures");
                assertTrue(registry.get("ringlog.sink.failing").timeGauge().value(TimeUnit.MILLISECONDS) > 0);
                assertEquals(0, gauge("ringlog.ring.remaining", null, null), "the ring is full");
                assertEquals(64, gauge("ringlog.events.pending", null, null));
                assertEquals(37, counter("ringlog.events.dropped", "reason", "ring_full"));
                assertEquals(114, counter("ringlog.events", "result", "accepted"));
                assertEquals(50, counter("ringlog.events", "result", "written"), "nothing written during the outage");

                server.start(port); // the server comes back on the same port
                assertTrue(log.flush(Duration.ofSeconds(20)), "the backlog is written once the server is back");
                assertMetersEqual(log);
                assertEquals(1, gauge("ringlog.sink.state", "state", "writing"));
                assertEquals(0, gauge("ringlog.sink.state", "state", "retrying"));
                assertEquals(0, gauge("ringlog.sink.consecutive.failures", null, null));
                assertEquals(0, registry.get("ringlog.sink.failing").timeGauge().value(TimeUnit.MILLISECONDS));
                assertEquals(114, counter("ringlog.events", "result", "written"));
                assertEquals(114, count(db, "SELECT COUNT(DISTINCT id) FROM ringlog_events"));
                assertEquals(64, gauge("ringlog.ring.remaining", null, null));

                log.close();
                assertFalse(log.publish(LogEvent::set, "after", "a", "{}"));
                assertFalse(log.publish(LogEvent::set, "after", "a", "{}"));
                assertEquals(2, counter("ringlog.events.dropped", "reason", "closed"));
                assertEquals(39, log.stats().dropped());
                assertMetersEqual(log);
                assertEquals(1, gauge("ringlog.sink.state", "state", "stopped"));
            }
        }
    }

    @Test
    void aLogWithTwoSinksHasMetersPerSinkTaggedWithItsNameBesideTheLogsOwn(@TempDir Path dir) throws Exception {
        try (HikariDataSource db = JdbcSink.embeddedH2(dir).open()) {
            EventLog<LogEvent> log = EventLog.<LogEvent>builder(LogEvent::new).name("metrics-sinks")
                    .overflow(OverflowPolicy.BLOCK).shutdownHook(false).sample("page_view", 0.5)
                    .sink("errors", JdbcSink.forLogEvents(db).table("metrics_errors").build(),
                            s -> s.filter(e -> e.type().equals("error")))
                    .sink("all", JdbcSink.forLogEvents(db).table("metrics_all").build(), s -> s.sample("page_view", 1))
                    .start();
            new RinglogMetrics(log).bindTo(registry);
            for (int i = 0; i < 2_000; i++) {
                log.publish(LogEvent::set, i % 10 == 0 ? "error" : "page_view", "u" + i, "{}");
            }
            assertTrue(log.flush(Duration.ofSeconds(20)));
            assertMetersEqual(log);
            for (dev.ringlog.SinkView sink : log.sinks()) {
                EventLog.SinkStats s = sink.stats();
                String n = sink.name();
                assertEquals(s.written(), registry.get("ringlog.sinks.events").tags("sink", n, "result", "written").functionCounter().count(), n);
                assertEquals(s.failed(), registry.get("ringlog.sinks.events").tags("sink", n, "result", "failed").functionCounter().count(), n);
                assertEquals(s.filtered(), registry.get("ringlog.sinks.events").tags("sink", n, "result", "filtered").functionCounter().count(), n);
                assertEquals(s.sampledOut(), registry.get("ringlog.sinks.events").tags("sink", n, "result", "sampled_out").functionCounter().count(), n);
                assertEquals(s.pending(), registry.get("ringlog.sinks.events.pending").tag("sink", n).gauge().value(), n);
                assertEquals(s.batches(), registry.get("ringlog.sinks.batches").tag("sink", n).functionCounter().count(), n);
                assertEquals(1, registry.get("ringlog.sinks.state").tags("sink", n, "state", "writing").gauge().value(), n);
                assertEquals("metrics-sinks", registry.get("ringlog.sinks.batches").tag("sink", n).meter().getId().getTag("name"));
            }
            assertEquals(200, count(db, "SELECT COUNT(*) FROM metrics_errors"));
            assertEquals(200, registry.get("ringlog.sinks.events").tags("sink", "errors", "result", "written").functionCounter().count());
            assertEquals(1_800, registry.get("ringlog.sinks.events").tags("sink", "errors", "result", "filtered").functionCounter().count());
            assertEquals(2_000, count(db, "SELECT COUNT(*) FROM metrics_all"), "the all sink keeps every page view: rate 1 overrides 0.5");
            assertEquals(2_000, counter("ringlog.events", "result", "written"), "the log: written by some sink");
            log.close();
            assertEquals(1, registry.get("ringlog.sinks.state").tags("sink", "all", "state", "stopped").gauge().value());
        }
    }

    @Test
    void theMetersDoNotKeepAClosedLogAlive() {
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, new DiscardingSink()).name("metrics-weak")
                .shutdownHook(false).start();
        new RinglogMetrics(log).bindTo(registry);
        log.publish(LogEvent::set, "t", "a", "{}");
        assertTrue(log.flush(Duration.ofSeconds(10)));
        assertEquals(1, counter("ringlog.events", "result", "written"));
        log.close();
        WeakReference<EventLog<LogEvent>> ref = new WeakReference<>(log);
        log = null;
        await(() -> {
            System.gc();
            return ref.get() == null;
        }, "the closed log collected while its meters are registered");
        assertTrue(Double.isNaN(gauge("ringlog.ring.capacity", null, null)), "a collected log's gauges read NaN");
    }

    /** Every meter equals what the log reports; call when the log is quiet (after flush or close). */
    private void assertMetersEqual(EventLog<?> log) {
        EventLog.Stats s = log.stats();
        assertEquals(s.accepted(), counter("ringlog.events", "result", "accepted"), "accepted");
        assertEquals(s.written(), counter("ringlog.events", "result", "written"), "written");
        assertEquals(s.failed(), counter("ringlog.events", "result", "failed"), "failed");
        assertEquals(s.filtered(), counter("ringlog.events", "result", "filtered"), "filtered");
        assertEquals(s.sampledOut(), counter("ringlog.events", "result", "sampled_out"), "sampled out");
        long dropped = 0;
        for (DropReason reason : DropReason.values()) {
            double value = counter("ringlog.events.dropped", "reason", reason.name().toLowerCase(Locale.ROOT));
            assertEquals(log.dropped(reason), value, reason.name());
            dropped += (long) value;
        }
        assertEquals(s.dropped(), dropped, "the reasons add up to dropped");
        assertEquals(s.pending(), gauge("ringlog.events.pending", null, null), "pending");
        assertEquals(s.retries(), counter("ringlog.retries", null, null), "retries");
        assertEquals(s.batches(), counter("ringlog.batches", null, null), "batches");
        Distribution sizes = log.batchSizes();
        assertEquals(sizes.total(), counter("ringlog.batches.events", null, null), "events in batches");
        assertEquals(sizes.max(), gauge("ringlog.batch.size.max", null, null), "largest batch");
        Distribution commits = log.commitNanos();
        assertEquals(commits.count(), registry.get("ringlog.commit").functionTimer().count(), "commits");
        assertEquals(commits.total(), registry.get("ringlog.commit").functionTimer().totalTime(TimeUnit.NANOSECONDS),
                1, "commit time");
        assertEquals(commits.max(), registry.get("ringlog.commit.max").timeGauge().value(TimeUnit.NANOSECONDS), 1,
                "longest commit");
        Distribution acks = log.durableAckNanos();
        assertEquals(acks.count(), registry.get("ringlog.durable.ack").functionTimer().count(), "durable acknowledgements");
        assertEquals(acks.total(), registry.get("ringlog.durable.ack").functionTimer().totalTime(TimeUnit.NANOSECONDS),
                1, "durable acknowledgement time");
        assertEquals(log.ringCapacity(), gauge("ringlog.ring.capacity", null, null), "capacity");
        assertEquals(log.ringRemaining(), gauge("ringlog.ring.remaining", null, null), "remaining");
        SinkHealth health = log.sinkHealth();
        for (SinkState state : SinkState.values()) {
            assertEquals(health.state() == state ? 1 : 0,
                    gauge("ringlog.sink.state", "state", state.name().toLowerCase(Locale.ROOT)), state.name());
        }
        assertEquals(health.consecutiveFailures(), gauge("ringlog.sink.consecutive.failures", null, null));
    }

    private double counter(String name, String tag, String value) {
        return tag == null ? registry.get(name).functionCounter().count()
                : registry.get(name).tag(tag, value).functionCounter().count();
    }

    private double gauge(String name, String tag, String value) {
        return tag == null ? registry.get(name).gauge().value() : registry.get(name).tag(tag, value).gauge().value();
    }

    private static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Polls a condition no latch can signal (the sink's failure count, a collected object), at most 20 s. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 20 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** A sink that keeps nothing: for the test that only needs a log to exist. */
    private static final class DiscardingSink implements dev.ringlog.Sink<LogEvent> {
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
}
