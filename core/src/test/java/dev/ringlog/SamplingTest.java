package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sampling by event type, per log and per sink, at random or by key; and the keys that configure it. */
@Timeout(120)
class SamplingTest {

    private static RecordingSink<LogEvent, String[]> logEvents() {
        return new RecordingSink<>(e -> new String[] {e.type(), e.actor()});
    }

    private static EventLog.Builder<LogEvent> builder(String name) {
        return EventLog.<LogEvent>builder(LogEvent::new).name(name).shutdownHook(false).jmx(false);
    }

    private static long count(RecordingSink<LogEvent, String[]> sink, String type) {
        return sink.committed.stream().filter(e -> e[0].equals(type)).count();
    }

    @Test
    void keepsATenthOfPageViewsWithinFiveSigmaAndEveryError() {
        RecordingSink<LogEvent, String[]> sink = logEvents();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("rate").shutdownHook(false).jmx(false)
                .sample("page_view", 0.1).overflow(OverflowPolicy.BLOCK).start();
        int views = 100_000;
        for (int i = 0; i < views; i++) {
            log.publish(LogEvent::set, "page_view", "u", null);
            if (i % 10 == 0) {
                log.publish(LogEvent::set, "error", "u", null);
            }
        }
        log.close();
        long kept = count(sink, "page_view");
        double sigma = Math.sqrt(views * 0.1 * 0.9); // ~95
        assertTrue(Math.abs(kept - views * 0.1) < 5 * sigma, "kept " + kept + " of " + views + " at rate 0.1");
        assertEquals(10_000, count(sink, "error"), "every error kept");
        EventLog.Stats s = log.stats();
        assertEquals(new EventLog.Stats(110_000, 0, kept + 10_000, 0, 0, s.batches(), 0, 0, views - kept), s);
    }

    @Test
    void samplingByKeyKeepsOrDropsAKeysEventsTogetherAndAgreesAcrossSinks() {
        RecordingSink<LogEvent, String[]> db = logEvents();
        RecordingSink<LogEvent, String[]> archive = logEvents();
        EventLog<LogEvent> log = builder("by-key").sample("page_view", 0.3).sampleBy(LogEvent::actor)
                .overflow(OverflowPolicy.BLOCK).sink("db", db).sink("archive", archive).start();
        int actors = 1_000;
        for (int round = 0; round < 50; round++) {
            for (int a = 0; a < actors; a++) {
                log.publish(LogEvent::set, "page_view", "user-" + a, null);
            }
        }
        log.close();
        Map<String, Long> perActor = db.committed.stream().collect(Collectors.groupingBy(e -> e[1], Collectors.counting()));
        assertTrue(perActor.values().stream().allMatch(n -> n == 50), "a kept actor keeps all 50 events: " + perActor);
        double sigma = Math.sqrt(actors * 0.3 * 0.7); // ~14.5
        assertTrue(Math.abs(perActor.size() - actors * 0.3) < 5 * sigma, "actors kept: " + perActor.size());
        Map<String, Long> archived = archive.committed.stream().collect(Collectors.groupingBy(e -> e[1], Collectors.counting()));
        assertEquals(perActor, archived, "the same key, the same decision in every sink");
        assertEquals(50L * (actors - perActor.size()), log.sinks().get(0).stats().sampledOut());
    }

    @Test
    void aSinkSamplesOnItsOwnWhileTheOtherKeepsEverything() {
        RecordingSink<LogEvent, String[]> db = logEvents();
        RecordingSink<LogEvent, String[]> archive = logEvents();
        EventLog<LogEvent> log = builder("per-sink").overflow(OverflowPolicy.BLOCK)
                .sink("db", db, s -> s.sample("page_view", 0).sample("click", 0.5))
                .sink("archive", archive).start();
        for (int i = 0; i < 20_000; i++) {
            log.publish(LogEvent::set, i % 2 == 0 ? "page_view" : "click", "u", null);
            if (i % 100 == 0) {
                log.publish(LogEvent::set, "error", "u", null);
            }
        }
        log.close();
        assertEquals(0, count(db, "page_view"));
        long clicks = count(db, "click");
        assertTrue(Math.abs(clicks - 5_000) < 5 * Math.sqrt(10_000 * 0.25), "clicks kept: " + clicks);
        assertEquals(200, count(db, "error"));
        assertEquals(20_200, archive.committed.size());
        EventLog.SinkStats s = log.sinks().get(0).stats();
        assertEquals(new EventLog.SinkStats(20_200, clicks + 200, 0, 0, 20_000 - clicks, 0, s.batches(), 0), s);
        assertEquals(new EventLog.Stats(20_200, 0, 20_200, 0, 0, log.stats().batches(), 0), log.stats(),
                "written by the archive: written for the log");
    }

    @Test
    void lowerRatesKeepASubsetOfWhatHigherRatesKeep() {
        RecordingSink<LogEvent, String[]> low = logEvents();
        RecordingSink<LogEvent, String[]> high = logEvents();
        EventLog<LogEvent> log = builder("nested").overflow(OverflowPolicy.BLOCK)
                .sink("low", low, s -> s.sample("t", 0.1)).sink("high", high, s -> s.sample("t", 0.5)).start();
        for (int i = 0; i < 10_000; i++) {
            log.publish(LogEvent::set, "t", Integer.toString(i), null);
        }
        log.close();
        List<String> highActors = high.committed.stream().map(e -> e[1]).toList();
        assertTrue(highActors.containsAll(low.committed.stream().map(e -> e[1]).toList()));
    }

    @Test
    void sampleKeysConfigureTheLogAndEachSink() {
        RecordingSink<LogEvent, String[]> db = logEvents();
        RecordingSink<LogEvent, String[]> archive = logEvents();
        EventLog<LogEvent> log = builder("keys").overflow(OverflowPolicy.BLOCK)
                .configure(Map.of("ringlog.sample.page_view", "0", "ringlog.sinks.archive.sample.page_view", "1"))
                .sink("db", db).sink("archive", archive).start();
        for (int i = 0; i < 1_000; i++) {
            log.publish(LogEvent::set, "page_view", "u", null);
        }
        log.close();
        assertEquals(0, db.committed.size());
        assertEquals(1_000, archive.committed.size());
        assertEquals(1_000, log.sinks().get(0).stats().sampledOut());
    }

    @Test
    void aSinksMaxBatchSizeKeyBoundsItsBatches() {
        RecordingSink<LogEvent, String[]> db = logEvents();
        EventLog<LogEvent> log = builder("batch-key").configure(Map.of("ringlog.sinks.db.maxBatchSize", "7"))
                .sink("db", db).start();
        for (int i = 0; i < 1_000; i++) {
            log.publish(LogEvent::set, "t", "u", null);
        }
        log.close();
        assertTrue(log.sinks().get(0).batchSizes().max() <= 7, "batches: " + log.sinks().get(0).batchSizes());
        assertEquals(1_000, db.committed.size());
    }

    private static String rejection(Consumer<EventLog.Builder<LogEvent>> config) {
        EventLog.Builder<LogEvent> b = builder("bad").sink("db", logEvents()).sink("archive", logEvents());
        return assertThrows(RuntimeException.class, () -> {
            config.accept(b);
            b.start().close();
        }).getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ringlog.sample.page_view|2|ringlog.sample.page_view must be a rate in [0, 1] like 0.1: ringlog.sample.page_view=2",
        "ringlog.sample.page_view|0.5x|ringlog.sample.page_view must be a rate in [0, 1] like 0.1: ringlog.sample.page_view=0.5x",
        "ringlog.sinks.db.maxBatchSize|0|ringlog.sinks.db.maxBatchSize must be in [1, ringSize]: ringlog.sinks.db.maxBatchSize=0",
        "ringlog.sinks.db.maxBatchSize|100000|ringlog.sinks.db.maxBatchSize must be in [1, ringSize=65536]: ringlog.sinks.db.maxBatchSize=100000",
        "ringlog.sinks.db.linger|2h|ringlog.sinks.db.linger must be a duration like 100ms, 2s or PT0.5S in [0, 1m]: ringlog.sinks.db.linger=2h",
        "ringlog.sinks.db.sample.click|-1|ringlog.sinks.db.sample.click must be a rate in [0, 1] like 0.1: ringlog.sinks.db.sample.click=-1",
        "ringlog.sinks.nope.linger|1s|unknown sink in configuration key ringlog.sinks.nope.linger: the sinks are [db, archive]",
        "ringlog.sinks.db.retry|1s|unknown configuration key ringlog.sinks.db.retry: the keys of a sink are ringlog.sinks.<sink>.maxBatchSize, .linger and .sample.<type>",
    })
    void badKeysAreRejectedNamingKeyRuleAndValue(String key, String value, String message) {
        Map<String, String> config = new HashMap<>();
        config.put(key, value);
        assertEquals(message, rejection(b -> b.configure(config)));
    }

    @Test
    void badBuilderValuesAreRejectedNamingTheSetting() {
        assertEquals("sample.page_view must be a rate in [0, 1]: sample.page_view=NaN",
                rejection(b -> b.sample("page_view", Double.NaN)));
        assertEquals("sinks.db.sample.click must be a rate in [0, 1]: sinks.db.sample.click=1.5",
                assertThrows(IllegalArgumentException.class, () -> builder("x").sink("db", logEvents(), s -> s.sample("click", 1.5))
                        .start()).getMessage());
        assertEquals("sinks.db.maxBatchSize must be in [1, ringSize=64]: sinks.db.maxBatchSize=100",
                assertThrows(IllegalArgumentException.class, () -> builder("x").ringSize(64)
                        .sink("db", logEvents(), s -> s.maxBatchSize(100)).start()).getMessage());
        assertEquals("sink name db is taken: each sink of a log needs a name of its own",
                rejection(b -> b.sink("db", logEvents())));
        assertEquals("sink name must be 1 to 64 letters, digits, '.', '_' or '-': sink name=a b",
                rejection(b -> b.sink("a b", logEvents())));
        assertEquals("ringlog[bad]: mode=sync writes to one sink on the caller's thread; this log has 2 sinks [db, archive]:"
                + " use async mode, or one sink", rejection(b -> b.mode(EventLog.Mode.SYNC)));
        assertEquals("ringlog[x]: no sink: add one with builder(factory, sink) or sink(name, sink)",
                assertThrows(IllegalStateException.class, () -> builder("x").start()).getMessage());
        RecordingSink<TestEvent, TestEvent.Copy> testSink = RecordingSink.ofTestEvents();
        assertEquals("sample(type, rate) needs eventType(e -> ...) to read the type of a dev.ringlog.TestEvent (LogEvent's is type())",
                assertThrows(IllegalArgumentException.class, () -> EventLog.builder(TestEvent::new, testSink)
                        .sample("x", 0.5).shutdownHook(false).start()).getMessage());
    }

    @Test
    void syncModeSamplesAndFiltersItsOneSinkLikeAsyncMode() {
        RecordingSink<LogEvent, String[]> sink = logEvents();
        EventLog<LogEvent> log = builder("sync").mode(EventLog.Mode.SYNC).sample("page_view", 0)
                .sink("db", sink, s -> s.filter(e -> !e.type().equals("debug"))).start();
        log.publish(LogEvent::set, "page_view", "u", null);
        log.publish(LogEvent::set, "debug", "u", null);
        log.publish(LogEvent::set, "error", "u", null);
        log.close();
        assertEquals(1, sink.committed.size());
        assertEquals(new EventLog.Stats(3, 0, 1, 0, 0, 1, 0, 1, 1), log.stats());
    }
}
