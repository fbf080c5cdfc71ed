package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several sinks on one ring: each writes at its own pace, the ring is gated by the slowest, and every
 * sink resolves every accepted event exactly once.
 */
@Timeout(120)
class MultiSinkTest {

    private static EventLog.Builder<TestEvent> builder(String name) {
        return EventLog.<TestEvent>builder(TestEvent::new).name(name).shutdownHook(false).jmx(false);
    }

    /** The indexes a recording sink committed, failing on a duplicate. */
    private static BitSet indexes(RecordingSink<TestEvent, TestEvent.Copy> sink) {
        BitSet seen = new BitSet();
        for (TestEvent.Copy c : sink.committed) {
            assertFalse(seen.get((int) c.index()), "committed twice: " + c);
            seen.set((int) c.index());
        }
        return seen;
    }

    private static BitSet range(int n) {
        BitSet all = new BitSet();
        all.set(0, n);
        return all;
    }

    @Test
    void theOtherSinkKeepsWritingWhileOneIsBlockedAndTheRingOverflowsOnlyWhenTheSlowSinkLagsAWholeRing() throws Exception {
        GatedSink<TestEvent> slow = new GatedSink<>();
        RecordingSink<TestEvent, TestEvent.Copy> fast = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = builder("overflow").ringSize(64).overflow(OverflowPolicy.DROP)
                .sink("slow", slow).sink("fast", fast).start();
        assertTrue(log.publish(TestEvent::write, 0, 0L));
        slow.awaitFlushEntered(); // the slow sink holds event 0 in a flush that does not return
        for (long i = 1; i < 64; i++) {
            assertTrue(log.publish(TestEvent::write, 0, i), "a lag below the ring size is no overflow: event " + i);
            long written = i + 1;
            Await.until(() -> fast.committed.size() == written, "the fast sink writes event " + i + " while the slow one is blocked");
        }
        assertEquals(0, slow.committed.get());
        assertEquals(64, log.sinks().get(0).stats().pending(), "the slow sink lags a whole ring");
        assertFalse(log.publish(TestEvent::write, 0, 64L), "the 65th event finds the ring full");
        assertEquals(1, log.dropped(DropReason.RING_FULL));

        slow.openForever();
        assertTrue(log.flush(Duration.ofSeconds(10)));
        for (long i = 65; i < 1_000; i++) {
            assertTrue(log.publish(TestEvent::write, 0, i), "both sinks drain again: event " + i);
            if (i % 32 == 0) {
                assertTrue(log.flush(Duration.ofSeconds(10)));
            }
        }
        log.close();

        BitSet expected = range(1_000);
        expected.clear(64);
        assertEquals(expected, indexes(fast));
        assertEquals(999, slow.committed.get());
        for (SinkView sink : log.sinks()) {
            assertEquals(new EventLog.SinkStats(999, 999, 0, 0, 0, 0, sink.stats().batches(), 0), sink.stats(), sink.name());
        }
        assertEquals(new EventLog.Stats(999, 1, 999, 0, 0, log.stats().batches(), 0), log.stats());
        assertTrue(slow.committed.get() > 0 && fast.closed, "both sinks closed");
    }

    @Test
    void aFailingSinkRetriesWhileTheOtherWritesAndAfterwardsBothHaveEveryEventOnce() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        RecordingSink<TestEvent, TestEvent.Copy> flaky = RecordingSink.ofTestEvents();
        flaky.beforeFlush = batch -> {
            if (down.get()) {
                throw new IOException("database down");
            }
        };
        RecordingSink<TestEvent, TestEvent.Copy> healthy = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = builder("retrying").ringSize(1024).overflow(OverflowPolicy.BLOCK)
                .sink("flaky", flaky, s -> s.retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(5))))
                .sink("healthy", healthy).start();
        for (long i = 0; i < 1_000; i++) {
            assertTrue(log.publish(TestEvent::write, 0, i));
        }
        Await.until(() -> healthy.committed.size() == 1_000, "the healthy sink writes everything while the other is down");
        Await.until(() -> log.sinks().get(0).health().state() == SinkState.RETRYING, "the other sink retries");
        assertEquals(0, flaky.committed.size());
        assertEquals(SinkState.WRITING, log.sinks().get(1).health().state());
        assertEquals(SinkState.RETRYING, log.sinkHealth().state(), "the log reports its worst sink");
        assertEquals(1_000, log.stats().pending(), "the log's events are pending until every sink has them");
        down.set(false);
        for (long i = 1_000; i < 5_000; i++) {
            assertTrue(log.publish(TestEvent::write, 0, i));
        }
        assertTrue(log.flush(Duration.ofSeconds(20)));
        log.close();
        assertEquals(range(5_000), indexes(flaky));
        assertEquals(range(5_000), indexes(healthy));
        EventLog.SinkStats flakyStats = log.sinks().get(0).stats();
        assertTrue(flakyStats.retries() > 0);
        assertEquals(new EventLog.SinkStats(5_000, 5_000, 0, 0, 0, 0, flakyStats.batches(), flakyStats.retries()), flakyStats);
        assertEquals(new EventLog.Stats(5_000, 0, 5_000, 0, 0, log.stats().batches(), flakyStats.retries()), log.stats());
    }

    @Test
    void publishDurableCompletesOnlyOnceEverySinkHasCommittedTheEvent() throws Exception {
        GatedSink<TestEvent> gated = new GatedSink<>();
        RecordingSink<TestEvent, TestEvent.Copy> quick = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = builder("durable").sink("quick", quick).sink("gated", gated).start();
        CompletableFuture<Void> done = log.publishDurable(TestEvent::write, 0, 7L);
        gated.awaitFlushEntered();
        Await.until(() -> quick.committed.size() == 1, "the quick sink commits");
        assertFalse(done.isDone(), "not done while the gated sink has not committed");
        assertEquals(1, log.sinks().get(0).durableAckNanos().count(), "the quick sink acknowledged it");
        gated.gate.release();
        done.get(10, TimeUnit.SECONDS);
        assertEquals(1, gated.committed.get());
        assertEquals(1, log.durableAckNanos().count());
        gated.openForever();
        log.close();
    }

    @Test
    void publishDurableFailsWhenOneSinkDeadLettersTheEventThatTheOtherWrote() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> rejecting = RecordingSink.ofTestEvents();
        IllegalArgumentException rejected = new IllegalArgumentException("value too long");
        rejecting.beforeAdd = e -> {
            if (e.index == 1) {
                throw rejected;
            }
        };
        RecordingSink<TestEvent, TestEvent.Copy> accepting = RecordingSink.ofTestEvents();
        List<TestEvent.Copy> dead = new CopyOnWriteArrayList<>();
        EventLog<TestEvent> log = builder("durable-failed")
                .sink("rejecting", rejecting, s -> s.deadLetters((e, cause) -> dead.add(TestEvent.Copy.of(e))))
                .sink("accepting", accepting).start();
        CompletableFuture<Void> ok = log.publishDurable(TestEvent::write, 0, 0L);
        CompletableFuture<Void> failed = log.publishDurable(TestEvent::write, 0, 1L);
        ok.get(10, TimeUnit.SECONDS);
        Throwable cause = failed.handle((v, t) -> t).get(10, TimeUnit.SECONDS);
        assertSame(rejected, cause);
        log.close();
        assertEquals(List.of(new TestEvent.Copy(0, 1)), dead, "only the rejecting sink's handler has it");
        assertEquals(range(2), indexes(accepting));
        assertEquals(new EventLog.SinkStats(2, 1, 1, 0, 0, 0, log.sinks().get(0).stats().batches(), 0), log.sinks().get(0).stats());
        assertEquals(new EventLog.SinkStats(2, 2, 0, 0, 0, 0, log.sinks().get(1).stats().batches(), 0), log.sinks().get(1).stats());
        assertEquals(new EventLog.Stats(2, 0, 1, 1, 0, log.stats().batches(), 0), log.stats(), "failed in some sink: failed for the log");
    }

    @Test
    void flushWaitsForEverySinkAndCloseClosesEveryOneWithinItsTimeout() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> a = RecordingSink.ofTestEvents();
        RecordingSink<TestEvent, TestEvent.Copy> b = RecordingSink.ofTestEvents();
        GatedSink<TestEvent> stuck = new GatedSink<>();
        stuck.uninterruptible = true; // a call with no time limit: close() cannot cut it short
        EventLog<TestEvent> log = builder("flush-close").linger(Duration.ofMinutes(1)).maxBatchSize(1_000)
                .shutdownTimeout(Duration.ofMillis(500))
                .sink("a", a).sink("b", b, s -> s.linger(Duration.ofSeconds(30)).maxBatchSize(100)).sink("stuck", stuck).start();
        for (long i = 0; i < 500; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        assertFalse(log.flush(Duration.ofMillis(200)), "the stuck sink has not written them");
        assertEquals(range(500), indexes(a), "flush made a write now rather than after its minute of linger");
        assertEquals(range(500), indexes(b));
        CompletableFuture<Void> durable = log.publishDurable(TestEvent::write, 0, 500L);
        long started = System.nanoTime();
        log.close();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 2_000, "close took " + tookMs + " ms with shutdownTimeout=500ms");
        assertTrue(a.closed && b.closed, "the sinks that stopped are closed");
        assertEquals(range(501), indexes(a));
        assertEquals(range(501), indexes(b));
        assertFalse(durable.isDone(), "the stuck sink thread decides it when its call returns");
        stuck.openForever(); // its batch [0, 499] commits; then it sees the halt and cancels what it has not written
        assertInstanceOf(CancellationException.class, durable.handle((v, t) -> t).get(10, TimeUnit.SECONDS));
        Await.until(() -> log.sinks().get(2).health().state() == SinkState.STOPPED, "the stuck sink thread stops");
        assertEquals(500, stuck.committed.get());
        assertEquals(1, log.stats().pending(), "not in every sink: pending for the log");
        assertEquals(0, log.sinks().get(0).stats().pending());
        assertEquals(1, log.sinks().get(2).stats().pending());
    }

    @Test
    void aSinkThreadThatDiesDoesNotWedgeTheOthersNorTheProducersNorClose() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        RecordingSink<TestEvent, TestEvent.Copy> healthy = RecordingSink.ofTestEvents();
        RecordingSink<TestEvent, TestEvent.Copy> doomed = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = builder("dying").ringSize(64).overflow(OverflowPolicy.BLOCK)
                .ticker(() -> {
                    if (broken.get() && Thread.currentThread().getName().endsWith("-sink-doomed")) {
                        throw new Error("the JVM is in trouble"); // nothing in the sink thread catches it
                    }
                    return System.nanoTime();
                })
                .sink("healthy", healthy).sink("doomed", doomed).start();
        broken.set(true);
        Await.until(() -> log.sinks().get(1).health().state() == SinkState.STOPPED, "the doomed sink thread dies when idle");
        long accepted = 0;
        while (log.publish(TestEvent::write, 0, accepted)) { // under BLOCK: gives up once the ring is full
            accepted++;
        }
        assertEquals(64, accepted, "the healthy sink drained what the ring holds; the dead one gates the rest");
        assertEquals(1, log.dropped(DropReason.SINK_STOPPED));
        long all = accepted;
        Await.until(() -> healthy.committed.size() == all, "the healthy sink writes every accepted event");
        assertTrue(log.publishDurable(TestEvent::write, 0, -1L).isCompletedExceptionally(), "refused: it could never complete");
        long started = System.nanoTime();
        log.close();
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "close does not wait for the dead sink");
        assertTrue(healthy.closed && doomed.closed);
        assertEquals(range(64), indexes(healthy));
        assertEquals(0, log.sinks().get(0).stats().pending());
        assertEquals(64, log.sinks().get(1).stats().pending(), "the dead sink's events stay pending: not silently lost");
    }

    @Test
    void filtersChooseEachSinksEventsWithExactCounts() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> errors = RecordingSink.ofTestEvents();
        RecordingSink<TestEvent, TestEvent.Copy> everything = RecordingSink.ofTestEvents();
        RecordingSink<TestEvent, TestEvent.Copy> none = RecordingSink.ofTestEvents();
        AtomicInteger filterThreadCalls = new AtomicInteger();
        EventLog<TestEvent> log = builder("filters")
                .sink("errors", errors, s -> s.filter(e -> e.producer == 1))
                .sink("everything", everything)
                .sink("none", none, s -> s.filter(e -> {
                    if (Thread.currentThread().getName().equals("ringlog-filters-sink-none")) {
                        filterThreadCalls.incrementAndGet();
                    }
                    return false;
                })).start();
        int errorsPublished = 0;
        for (long i = 0; i < 10_000; i++) {
            int producer = i % 7 == 0 ? 1 : 0;
            errorsPublished += producer;
            log.publish(TestEvent::write, producer, i);
        }
        log.close();
        assertEquals(errorsPublished, errors.committed.size());
        assertTrue(errors.committed.stream().allMatch(c -> c.producer() == 1));
        assertEquals(range(10_000), indexes(everything));
        assertEquals(0, none.committed.size());
        assertEquals(10_000, filterThreadCalls.get(), "the filter ran on its sink's thread, once per event");
        EventLog.SinkStats e = log.sinks().get(0).stats();
        assertEquals(new EventLog.SinkStats(10_000, errorsPublished, 0, 10_000 - errorsPublished, 0, 0, e.batches(), 0), e);
        assertEquals(new EventLog.SinkStats(10_000, 0, 0, 10_000, 0, 0, 0, 0), log.sinks().get(2).stats(), "no batch for a sink that takes nothing");
        assertEquals(new EventLog.Stats(10_000, 0, 10_000, 0, 0, log.stats().batches(), 0), log.stats());
    }

    @Test
    void anEventNoSinkTakesIsCountedForTheLogAsFilteredOrSampledOut() {
        RecordingSink<TestEvent, TestEvent.Copy> a = RecordingSink.ofTestEvents();
        RecordingSink<TestEvent, TestEvent.Copy> b = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = builder("skipped").eventType(e -> e.producer == 2 ? "noise" : "signal")
                .sink("a", a, s -> s.filter(e -> e.producer == 0))
                .sink("b", b, s -> s.filter(e -> e.producer != 1).sample("noise", 0)).start();
        for (long i = 0; i < 300; i++) {
            log.publish(TestEvent::write, (int) (i % 3), i); // 0: a and b; 1: nobody (filtered); 2: b samples it out
        }
        log.close();
        assertEquals(100, a.committed.size());
        assertEquals(100, b.committed.size());
        assertEquals(new EventLog.Stats(300, 0, 100, 0, 0, log.stats().batches(), 0, 100, 100), log.stats());
        assertEquals(new EventLog.SinkStats(300, 100, 0, 100, 100, 0, log.sinks().get(1).stats().batches(), 0), log.sinks().get(1).stats());
    }

    @Test
    void everySinksCountsAddUpAtEveryMomentUnderConcurrentProducersAndExactlyAfterClose() throws Exception {
        FlakySink flaky = new FlakySink(997, 40);
        AtomicLong flakyCommitted = flaky.committed;
        AtomicLong flakyDead = new AtomicLong();
        RecordingSink<TestEvent, TestEvent.Copy> filtered = RecordingSink.ofTestEvents();
        RecordingSink<TestEvent, TestEvent.Copy> sampled = RecordingSink.ofTestEvents();
        int ringSize = 1024;
        EventLog<TestEvent> log = builder("monitored").ringSize(ringSize).overflow(OverflowPolicy.BLOCK)
                .eventType(e -> e.producer == 0 ? "noise" : "signal")
                .sink("flaky", flaky, s -> s.retry(RetryPolicy.backoff(Duration.ofNanos(1_000), Duration.ofNanos(10_000)))
                        .deadLetters((e, cause) -> flakyDead.incrementAndGet()).maxBatchSize(64))
                .sink("filtered", filtered, s -> s.filter(e -> e.index % 3 == 0).linger(Duration.ofMillis(2)))
                .sink("sampled", sampled, s -> s.sample("noise", 0.25)).start();

        AtomicBoolean done = new AtomicBoolean();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong samples = new AtomicLong();
        Thread monitor = new Thread(() -> {
            EventLog.SinkStats[] last = new EventLog.SinkStats[3];
            while (!done.get()) {
                List<SinkView> sinks = log.sinks();
                for (int i = 0; i < 3; i++) {
                    // pending is accepted (read last) less the counts: producers may add to accepted while
                    // the counts are read, so the bound is a ring plus what was accepted meanwhile.
                    long acceptedBefore = log.stats().accepted();
                    EventLog.SinkStats s = sinks.get(i).stats();
                    long committedAfter = flakyCommitted.get();
                    long deadAfter = flakyDead.get();
                    if (s.pending() < 0 || s.pending() > ringSize + s.accepted() - acceptedBefore) {
                        violations.add(sinks.get(i).name() + ": pending outside [0, ringSize]: " + s);
                    }
                    if (i == 0 && (s.written() > committedAfter || s.failed() > deadAfter)) {
                        violations.add("flaky counts ahead of the sink and its handler: " + s + " committed=" + committedAfter + " dead=" + deadAfter);
                    }
                    EventLog.SinkStats p = last[i];
                    if (p != null && (s.written() < p.written() || s.failed() < p.failed() || s.filtered() < p.filtered()
                            || s.sampledOut() < p.sampledOut() || s.accepted() < p.accepted())) {
                        violations.add(sinks.get(i).name() + ": a counter went back: " + p + " then " + s);
                    }
                    last[i] = s;
                }
                long acceptedBefore = log.stats().accepted();
                EventLog.Stats l = log.stats();
                if (l.pending() < 0 || l.pending() > ringSize + l.accepted() - acceptedBefore) {
                    violations.add("log pending outside [0, ringSize]: " + l);
                }
                samples.incrementAndGet();
            }
        }, "monitor");
        monitor.start();
        int producers = 3;
        int perProducer = 40_000;
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads[p] = new Thread(() -> {
                for (long i = 0; i < perProducer; i++) {
                    if (!log.publish(TestEvent::write, producer, producer * (long) perProducer + i)) {
                        violations.add("refused under BLOCK: " + i);
                    }
                }
            }, "producer-" + p);
            threads[p].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(log.flush(Duration.ofSeconds(60)));
        done.set(true);
        monitor.join();
        log.close();
        assertEquals(List.of(), violations);
        assertTrue(samples.get() > 10, "the monitor sampled while events moved: " + samples.get());

        long total = producers * (long) perProducer;
        long rejected = (total + 996) / 997; // indexes 0, 997, 1994, ... below total
        EventLog.SinkStats f = log.sinks().get(0).stats();
        assertEquals(new EventLog.SinkStats(total, total - rejected, rejected, 0, 0, 0, f.batches(), f.retries()), f);
        assertEquals(total - rejected, flakyCommitted.get());
        assertEquals(rejected, flakyDead.get());

        long multiplesOf3 = (total + 2) / 3;
        assertEquals(multiplesOf3, indexes(filtered).cardinality());
        assertEquals(new EventLog.SinkStats(total, multiplesOf3, 0, total - multiplesOf3, 0, 0, log.sinks().get(1).stats().batches(), 0),
                log.sinks().get(1).stats());

        BitSet kept = indexes(sampled);
        BitSet signals = range((int) total);
        signals.clear(0, perProducer); // producer 0 publishes the noise
        BitSet keptSignals = (BitSet) kept.clone();
        keptSignals.and(signals);
        assertEquals(signals, keptSignals, "every signal kept");
        long keptNoise = kept.cardinality() - keptSignals.cardinality();
        EventLog.SinkStats s = log.sinks().get(2).stats();
        assertEquals(new EventLog.SinkStats(total, kept.cardinality(), 0, 0, perProducer - keptNoise, 0, s.batches(), 0), s);

        // For the log: failed where flaky rejected; the rest written, as the filtered and sampled sinks wrote them or flaky did.
        assertEquals(new EventLog.Stats(total, 0, total - rejected, rejected, 0, log.stats().batches(), f.retries()), log.stats());
    }

    @Test
    void aLingeringSinkBesideOneThatDoesNotLingerStillFlushesWhenItsLingerHasPassed() {
        RecordingSink<TestEvent, TestEvent.Copy> now = RecordingSink.ofTestEvents();
        RecordingSink<TestEvent, TestEvent.Copy> later = RecordingSink.ofTestEvents();
        ManualTicker ticker = new ManualTicker();
        EventLog.Builder<TestEvent> b = builder("lingering").ticker(ticker)
                .sink("now", now).sink("later", later, s -> s.linger(Duration.ofSeconds(5)));
        // Idle sink threads wake for nothing but a lingering batch: before the fix their wake-up period
        // came from the shortest linger, 0 here, so the lingering sink waited for this hour.
        b.settings().idleTickNanos = TimeUnit.HOURS.toNanos(1);
        EventLog<TestEvent> log = b.start();
        for (long i = 0; i < 50; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        Await.until(() -> now.committed.size() == 50, "the sink that does not linger writes at once");
        assertEquals(0, later.committed.size(), "the other holds its batch for its linger");
        // Time passes (the test does not know when the lingering sink read the events: each poll is 5 s later).
        Await.until(() -> {
            ticker.advance(Duration.ofSeconds(5));
            return later.committed.size() == 50;
        }, "the lingering sink flushes once its linger has passed, with no new event");
        log.close();
    }

    @Test
    void eachSinkHasAJmxBeanBesideTheLogsWhileTheLogRuns() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> db = RecordingSink.ofTestEvents();
        RecordingSink<TestEvent, TestEvent.Copy> archive = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = EventLog.<TestEvent>builder(TestEvent::new).name("jmx-multi").shutdownHook(false)
                .sink("db", db, s -> s.filter(e -> e.index % 2 == 0)).sink("archive", archive).start();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName dbName = new ObjectName("dev.ringlog:type=EventLogSink,name=jmx-multi,sink=db");
        ObjectName logName = new ObjectName("dev.ringlog:type=EventLog,name=jmx-multi");
        for (long i = 0; i < 10; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        assertTrue(log.flush(Duration.ofSeconds(10)));
        assertEquals(5L, server.getAttribute(dbName, "Written"));
        assertEquals(5L, server.getAttribute(dbName, "Filtered"));
        assertEquals("WRITING", server.getAttribute(dbName, "SinkState"));
        assertEquals(10L, server.getAttribute(new ObjectName("dev.ringlog:type=EventLogSink,name=jmx-multi,sink=archive"), "Written"));
        assertEquals(10L, server.getAttribute(logName, "Written"), "the log: written by some sink");
        assertEquals(0L, server.getAttribute(logName, "Filtered"));
        log.close();
        assertFalse(server.isRegistered(dbName));
        assertFalse(server.isRegistered(logName));
    }
}
