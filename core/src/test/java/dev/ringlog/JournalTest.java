package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal in one process: what a log leaves uncommitted (its sink down when close gives up) is
 * replayed by the next log on the same directory, with its ids; damage on disk is cut or skipped,
 * counted, never replayed; a full journal hands the decision to the overflow policy. The real
 * {@code kill -9} runs against PostgreSQL are jdbc-sink's {@code JournalKillTest}.
 */
@Timeout(120)
class JournalTest {

    @TempDir
    Path dir;

    record Row(long id, String payload) {
    }

    static RecordingSink<LogEvent, Row> recording() {
        return new RecordingSink<>(e -> new Row(e.id(), e.payload()));
    }

    private EventLog.Builder<LogEvent> builder(Sink<LogEvent> sink) {
        return EventLog.builder(LogEvent::new, sink).ringSize(1024).journal(dir).shutdownHook(false).jmx(false);
    }

    /** A sink whose database is down: every flush fails retryably, so close gives up with all events pending. */
    private static RecordingSink<LogEvent, Row> down() {
        RecordingSink<LogEvent, Row> sink = recording();
        sink.beforeFlush = batch -> {
            throw new IOException("database down");
        };
        return sink;
    }

    /** Publishes {@code n} events to a log whose sink is down, and closes it with them journalled and pending. */
    private void leaveUncommitted(int n, SyncPolicy sync) throws Exception {
        EventLog<LogEvent> log = builder(down()).journal(dir, sync).shutdownTimeout(Duration.ofMillis(300)).start();
        for (int i = 0; i < n; i++) {
            assertTrue(log.publish(LogEvent::set, "t", "a", "event-" + i));
        }
        Await.until(() -> log.journalStats().records() == n, "all events journalled");
        log.close();
        assertEquals(n, log.stats().pending());
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }

    private static List<String> payloads(RecordingSink<LogEvent, Row> sink) {
        return sink.committed.stream().map(Row::payload).toList();
    }

    private static List<String> expected(int n, int... missing) {
        List<String> all = new ArrayList<>();
        outer:
        for (int i = 0; i < n; i++) {
            for (int m : missing) {
                if (m == i) {
                    continue outer;
                }
            }
            all.add("event-" + i);
        }
        return all;
    }

    @Test
    void replaysWhatTheSinkHadNotCommittedWithTheSameIdsThenDeletesTheSegments() throws Exception {
        RecordingSink<LogEvent, Row> first = recording();
        EventLog<LogEvent> log = builder(first).shutdownTimeout(Duration.ofMillis(300)).start();
        for (int i = 0; i < 100; i++) {
            log.publish(LogEvent::set, "t", "a", "event-" + i);
        }
        assertTrue(log.flush(Duration.ofSeconds(10)));
        first.beforeFlush = batch -> {
            throw new IOException("database down");
        };
        List<Long> ids = new ArrayList<>();
        for (int i = 100; i < 200; i++) {
            log.publish(LogEvent::set, "t", "a", "event-" + i);
        }
        Await.until(() -> log.journalStats().records() == 200, "all 200 journalled");
        log.close();
        assertEquals(100, log.stats().written());
        assertEquals(100, log.stats().pending());

        RecordingSink<LogEvent, Row> second = recording();
        EventLog<LogEvent> again = builder(second).start();
        assertTrue(again.flush(Duration.ofSeconds(10)));
        assertEquals(expected(200).subList(100, 200), payloads(second), "exactly the 100 events not committed, in order");
        assertEquals(100, again.journalStats().replayed());
        for (Row r : second.committed) {
            ids.add(r.id());
        }
        assertEquals(100, ids.stream().distinct().count());
        // the ids are the original ones: the first log's first 100 ids were consecutive with these
        long firstId = first.committed.get(0).id();
        assertEquals(firstId + 100, ids.get(0), "a replayed event keeps the id it was published with");
        again.close();
        assertEquals(List.of(), segments(), "every segment is deleted once its events are committed");

        RecordingSink<LogEvent, Row> third = recording();
        EventLog<LogEvent> last = builder(third).start();
        last.close();
        assertEquals(0, last.journalStats().replayed(), "nothing is replayed twice");
        assertEquals(List.of(), third.committed);
    }

    @Test
    void aLaggingCheckpointReplaysAtMostTheWritersRingOfTheNewestRecords() throws Exception {
        RecordingSink<LogEvent, Row> first = recording();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, first).ringSize(64).journal(dir).journalMaxBytes(1 << 30)
                .shutdownTimeout(Duration.ofMillis(300)).shutdownHook(false).jmx(false).start();
        for (int i = 0; i < 150; i++) {
            assertTrue(log.publish(LogEvent::set, "t", "a", "event-" + i) || !log.flush(Duration.ofSeconds(10)));
            if (i % 32 == 31) {
                assertTrue(log.flush(Duration.ofSeconds(10)));
            }
        }
        assertTrue(log.flush(Duration.ofSeconds(10)));
        first.beforeFlush = batch -> {
            throw new IOException("database down");
        };
        for (int i = 150; i < 200; i++) {
            assertTrue(log.publish(LogEvent::set, "t", "a", "event-" + i));
        }
        Await.until(() -> log.journalStats().records() == 200, "all journalled");
        log.close();
        assertEquals(150, first.committed.size());
        // As if the process died before the checkpoint caught up with any commit.
        new Checkpoint(dir).write(-1, 64);

        RecordingSink<LogEvent, Row> sink = recording();
        EventLog<LogEvent> again = builder(sink).start();
        assertTrue(again.flush(Duration.ofSeconds(10)));
        again.close();
        assertEquals(64, again.journalStats().replayed(), "the writer's ring held every uncommitted event: its newest 64");
        assertEquals(expected(200).subList(136, 200), payloads(sink), "the 50 uncommitted, and 14 the sink skips by id");
    }

    private EventLog.Builder<LogEvent> twoSinks(Sink<LogEvent> fast, Sink<LogEvent> slow) {
        return EventLog.builder(LogEvent::new).sink("fast", fast).sink("slow", slow).ringSize(1024).journal(dir)
                .shutdownHook(false).jmx(false);
    }

    /**
     * Several sinks on one journal: the checkpoint follows the slowest sink, so a restart (the log closed
     * with one sink down and its events pending, as JournalTest's other restarts) replays to every sink
     * what any had not committed. Each sink then has every event: the slow one each exactly once, the
     * fast one the replayed events a second time (those it had: an idempotent sink skips them by id).
     * A journal-acknowledged future completes while a sink is down.
     */
    @Test
    void withTwoSinksARestartReplaysToBothWhatEitherHadNotCommitted() throws Exception {
        RecordingSink<LogEvent, Row> fast = recording();
        RecordingSink<LogEvent, Row> slow = recording();
        EventLog<LogEvent> log = twoSinks(fast, slow).durableAck(EventLog.DurableAck.JOURNAL)
                .shutdownTimeout(Duration.ofMillis(300)).start();
        for (int i = 0; i < 100; i++) {
            assertTrue(log.publish(LogEvent::set, "t", "a", "event-" + i));
        }
        assertTrue(log.flush(Duration.ofSeconds(10)));
        slow.beforeFlush = batch -> {
            throw new IOException("database down");
        };
        for (int i = 100; i < 199; i++) {
            assertTrue(log.publish(LogEvent::set, "t", "a", "event-" + i));
        }
        CompletableFuture<Void> durable = log.publishDurable(LogEvent::set, "t", "a", "event-199");
        durable.get(10, TimeUnit.SECONDS); // journalled: acknowledged although the slow sink cannot commit it
        Await.until(() -> fast.committed.size() == 200, "the fast sink commits all 200");
        log.close();
        assertEquals(100, slow.committed.size());
        assertEquals(100, log.stats().pending(), "pending until every sink has them");

        RecordingSink<LogEvent, Row> fastAgain = recording();
        RecordingSink<LogEvent, Row> slowAgain = recording();
        EventLog<LogEvent> again = twoSinks(fastAgain, slowAgain).start();
        assertTrue(again.flush(Duration.ofSeconds(10)));
        again.close();
        assertEquals(100, again.journalStats().replayed(), "what the slowest sink had not committed");
        assertEquals(expected(200).subList(100, 200), payloads(slowAgain));
        assertEquals(expected(200).subList(100, 200), payloads(fastAgain), "every sink gets the replay");
        List<Row> slowRows = new ArrayList<>(slow.committed);
        slowRows.addAll(slowAgain.committed);
        assertEquals(200, slowRows.stream().map(Row::id).distinct().count(), "the slow sink has each event exactly once");
        assertEquals(200, slowRows.size());
        List<Long> fastIds = fast.committed.stream().map(Row::id).toList();
        assertEquals(fastIds.subList(100, 200), fastAgain.committed.stream().map(Row::id).toList(),
                "the fast sink sees its last 100 again, with the ids it committed them with");
        assertEquals(List.of(), segments(), "every segment is deleted once both sinks committed its events");

        RecordingSink<LogEvent, Row> fastLast = recording();
        RecordingSink<LogEvent, Row> slowLast = recording();
        EventLog<LogEvent> last = twoSinks(fastLast, slowLast).start();
        last.close();
        assertEquals(0, last.journalStats().replayed(), "nothing is replayed twice");
        assertEquals(List.of(), fastLast.committed);
        assertEquals(List.of(), slowLast.committed);
    }

    /**
     * A journal with two sinks, one whose thread dies: the ring refuses as SINK_STOPPED (not
     * JOURNAL_FULL) once the dead sink gates it, the healthy sink writes every accepted event, close
     * returns without waiting for the dead one (the journal thread stops once both sink threads have),
     * and a restart replays what the dead sink never committed to both.
     */
    @Test
    void aDeadSinkThreadBehindTheJournalStopsNeitherTheOtherSinkNorCloseAndItsEventsAreReplayed() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
        RecordingSink<LogEvent, Row> healthy = recording();
        RecordingSink<LogEvent, Row> doomed = recording();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new).name("dying").sink("healthy", healthy).sink("doomed", doomed)
                .ringSize(64).journal(dir).overflow(OverflowPolicy.BLOCK).shutdownHook(false).jmx(false)
                .ticker(() -> {
                    if (broken.get() && Thread.currentThread().getName().endsWith("-sink-doomed")) {
                        throw new Error("the JVM is in trouble"); // nothing in the sink thread catches it
                    }
                    return System.nanoTime();
                }).start();
        broken.set(true);
        Await.until(() -> log.sinks().get(1).health().state() == SinkState.STOPPED, "the doomed sink thread dies when idle");
        int accepted = 0;
        while (log.publish(LogEvent::set, "t", "a", "event-" + accepted)) { // under BLOCK: gives up once the ring is full
            accepted++;
        }
        assertEquals(64, accepted, "the dead sink gates the ring");
        assertEquals(1, log.dropped(DropReason.SINK_STOPPED));
        assertEquals(0, log.dropped(DropReason.JOURNAL_FULL));
        Await.until(() -> healthy.committed.size() == 64, "the healthy sink writes every accepted event");
        assertTrue(log.publishDurable(LogEvent::set, "t", "a", "refused").isCompletedExceptionally());
        long started = System.nanoTime();
        log.close();
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "close does not wait for the dead sink");
        assertEquals(expected(64), payloads(healthy));

        RecordingSink<LogEvent, Row> healthyAgain = recording();
        RecordingSink<LogEvent, Row> doomedAgain = recording();
        EventLog<LogEvent> again = EventLog.builder(LogEvent::new).sink("healthy", healthyAgain).sink("doomed", doomedAgain)
                .ringSize(64).journal(dir).shutdownHook(false).jmx(false).start();
        assertTrue(again.flush(Duration.ofSeconds(10)));
        again.close();
        assertEquals(64, again.journalStats().replayed());
        assertEquals(expected(64), payloads(doomedAgain), "the dead sink's events reach it after the restart");
        assertEquals(expected(64), payloads(healthyAgain));
    }

    /**
     * The journal thread dies (an Error nothing in it catches): the sinks, which wait behind it, would
     * never see another event. A producer waiting for room under BLOCK gives up as SINK_STOPPED instead of
     * waiting forever (before, it hung: the wait looked at the sink threads only), durable publishes are
     * refused, and close returns within its bound with the unjournalled events counted as pending.
     */
    @Test
    void aDeadJournalThreadReleasesBlockedProducersAndCloseIsBounded() throws Exception {
        RecordingSink<LogEvent, Row> sink = recording();
        // With a sync period the journal thread reads the log's clock when it first writes: it dies there,
        // before the sinks may see the event.
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("deadjournal")
                .ringSize(64).journal(dir, SyncPolicy.every(Duration.ofSeconds(1))).overflow(OverflowPolicy.BLOCK)
                .shutdownHook(false).jmx(false).shutdownTimeout(Duration.ofSeconds(2))
                .ticker(() -> {
                    if (Thread.currentThread().getName().endsWith("-journal")) {
                        throw new Error("the JVM is in trouble"); // nothing in the journal thread catches it
                    }
                    return System.nanoTime();
                }).start();
        assertTrue(log.publish(LogEvent::set, "t", "a", "event-0"));
        Await.until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("ringlog-deadjournal-journal")), "the journal thread dies");

        CompletableFuture<Integer> filling = CompletableFuture.supplyAsync(() -> {
            int accepted = 0;
            while (log.publish(LogEvent::set, "t", "a", "more")) { // under BLOCK: waits while the ring is full
                accepted++;
            }
            return accepted;
        });
        int accepted = filling.get(10, TimeUnit.SECONDS); // hung for ever before the fix
        assertEquals(63, accepted, "the ring fills behind the dead journal thread, then publishes are refused");
        assertEquals(1, log.dropped(DropReason.SINK_STOPPED));
        assertTrue(log.publishDurable(LogEvent::set, "t", "a", "refused").isCompletedExceptionally());
        long started = System.nanoTime();
        log.close();
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "close is bounded by shutdownTimeout");
        assertEquals(List.of(), payloads(sink), "the sink never sees an unjournalled event");
        assertEquals(64, log.stats().pending(), "the 64 unjournalled events are counted, not lost silently");
    }

    /** The journal's counters in JMX (what Micrometer's and Boot's meters read too): replayed, appended, synced, bytes held. */
    @Test
    void jmxShowsTheJournalsCounters() throws Exception {
        leaveUncommitted(50, SyncPolicy.NONE);
        RecordingSink<LogEvent, Row> sink = recording();
        EventLog<LogEvent> log = builder(sink).name("jmx-journal").jmx(true).start();
        javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName name = new javax.management.ObjectName("dev.ringlog:type=EventLog,name=jmx-journal");
        try {
            for (int i = 0; i < 10; i++) {
                log.publish(LogEvent::set, "t", "a", "new-" + i);
            }
            assertTrue(log.flush(Duration.ofSeconds(10)));
            Await.until(() -> log.journalStats().records() == 10, "the new events journalled");
            EventLog.JournalStats stats = log.journalStats();
            assertEquals(50L, jmx.getAttribute(name, "JournalReplayed"));
            assertEquals(10L, jmx.getAttribute(name, "JournalRecords"), "replayed events are not appended again");
            assertEquals(stats.syncs(), jmx.getAttribute(name, "JournalSyncs"));
            assertTrue(stats.syncs() > 0, "PER_BATCH syncs");
            assertEquals(stats.bytes(), jmx.getAttribute(name, "JournalBytes"));
            for (String attribute : new String[] {"JournalDamaged", "JournalCut", "JournalFullWaits",
                    "JournalWriteFailures", "JournalCodecFailures", "DroppedJournalFull"}) {
                assertEquals(0L, jmx.getAttribute(name, attribute), attribute);
            }
        } finally {
            log.close();
        }
    }

    @Test
    void aTornTailIsCutAndTheValidPrefixReplayed() throws Exception {
        leaveUncommitted(50, SyncPolicy.NONE);
        Path segment = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 5); // the last record torn, as by a crash in the middle of its write
        }
        RecordingSink<LogEvent, Row> sink = recording();
        EventLog<LogEvent> log = builder(sink).start();
        assertTrue(log.flush(Duration.ofSeconds(10)));
        log.close();
        assertEquals(expected(49), payloads(sink));
        assertEquals(1, log.journalStats().cut());
        assertEquals(0, log.journalStats().damaged());
    }

    @Test
    void aFlippedByteInTheMiddleSkipsThatRecordOnlyCountedAndLogged() throws Exception {
        leaveUncommitted(50, SyncPolicy.PER_BATCH);
        Path segment = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            long at = 0;
            for (int i = 0; i < 25; i++) { // walk the frames to record 25
                f.seek(at);
                at += JournalSegment.HEADER + f.readInt();
            }
            long inEvent = at + JournalSegment.HEADER + 20; // past the id and the timestamp
            f.seek(inEvent);
            int b = f.read();
            f.seek(inEvent);
            f.write(b ^ 0x40);
        }
        RecordingSink<LogEvent, Row> sink = recording();
        EventLog<LogEvent> log = builder(sink).start();
        assertTrue(log.flush(Duration.ofSeconds(10)));
        log.close();
        assertEquals(expected(50, 25), payloads(sink), "every record but the damaged one, nothing garbled");
        assertEquals(1, log.journalStats().damaged());
        assertEquals(0, log.journalStats().cut());
    }

    /** Fills the journal (the sink blocked in its first flush) and then the ring behind it; returns the events accepted. */
    private static int fillJournalAndRing(EventLog<LogEvent> log, String big) {
        int accepted = 0;
        for (int i = 0; i < 64; i++) {
            if (log.publish(LogEvent::set, "t", "a", big)) {
                accepted++;
            }
        }
        Await.until(() -> log.journalStats().fullWaits() >= 1, "the journal full");
        return accepted;
    }

    @Test
    void aFullJournalUnderDropDropsCountedAsJournalFullAndLosesNothingAccepted() throws Exception {
        GatedSink<LogEvent> sink = new GatedSink<>();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).ringSize(64).journal(dir)
                .journalMaxBytes(1 << 20).overflow(OverflowPolicy.DROP).shutdownHook(false).jmx(false).start();
        String big = "x".repeat(100_000);
        int accepted = fillJournalAndRing(log, big);
        assertTrue(log.journalStats().bytes() <= 1 << 20, "bounded: " + log.journalStats().bytes());
        int more = 0;
        while (log.ringRemaining() > 0) { // what the journal's wait left free in the ring
            assertTrue(log.publish(LogEvent::set, "t", "a", big));
            more++;
        }
        assertFalse(log.publish(LogEvent::set, "t", "a", big), "journal full, ring full behind it: DROP refuses");
        assertEquals(1, log.dropped(DropReason.JOURNAL_FULL), "counted as journal full, not ring full");
        sink.openForever();
        assertTrue(log.flush(Duration.ofSeconds(20)));
        log.close();
        assertEquals(accepted + more, sink.committed.get(), "every accepted event is written");
        assertEquals(accepted + more, log.stats().written());
    }

    @Test
    void aFullJournalUnderBlockWaitsUntilTheSinkFreesASegment() throws Exception {
        GatedSink<LogEvent> sink = new GatedSink<>();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).ringSize(64).journal(dir)
                .journalMaxBytes(1 << 20).overflow(OverflowPolicy.BLOCK).shutdownHook(false).jmx(false).start();
        String big = "x".repeat(100_000);
        CompletableFuture<Integer> producer = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            for (int i = 0; i < 200; i++) {
                if (log.publish(LogEvent::set, "t", "a", big)) {
                    n++;
                }
            }
            return n;
        }, r -> new Thread(r, "producer").start());
        Await.until(() -> log.journalStats().fullWaits() >= 1 && log.ringRemaining() == 0, "journal full, ring full behind it");
        assertFalse(producer.isDone(), "the producer waits under BLOCK");
        sink.openForever();
        assertEquals(200, producer.get(30, TimeUnit.SECONDS));
        assertTrue(log.flush(Duration.ofSeconds(20)));
        log.close();
        assertEquals(200, sink.committed.get());
        assertEquals(0, log.stats().dropped());
    }

    @Test
    void aFullJournalUnderBlockForDropsAfterTheBound() throws Exception {
        GatedSink<LogEvent> sink = new GatedSink<>();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).ringSize(64).journal(dir)
                .journalMaxBytes(1 << 20).overflow(OverflowPolicy.blockFor(Duration.ofMillis(200)))
                .shutdownHook(false).jmx(false).start();
        String big = "x".repeat(100_000);
        int accepted = fillJournalAndRing(log, big);
        long refusedAfter = -1;
        for (int i = 0; i < 64 && refusedAfter < 0; i++) {
            long t = System.nanoTime();
            if (log.publish(LogEvent::set, "t", "a", big)) {
                accepted++;
            } else {
                refusedAfter = System.nanoTime() - t;
            }
        }
        assertTrue(refusedAfter >= 200_000_000L, "waited the bound before dropping: " + refusedAfter + " ns");
        assertEquals(1, log.dropped(DropReason.JOURNAL_FULL));
        sink.openForever();
        assertTrue(log.flush(Duration.ofSeconds(20)));
        log.close();
        assertEquals(accepted, sink.committed.get());
    }

    @Test
    void journalAcknowledgedDurableCompletesBeforeTheSinkCommits() throws Exception {
        GatedSink<LogEvent> sink = new GatedSink<>();
        EventLog<LogEvent> log = builder(sink).durableAck(EventLog.DurableAck.JOURNAL).start();
        CompletableFuture<Void> done = log.publishDurable(LogEvent::set, "audit", "u1", "{}");
        done.get(10, TimeUnit.SECONDS);
        assertEquals(0, sink.committed.get(), "acknowledged by the journal's sync while the sink is still blocked");
        assertTrue(log.journalStats().syncs() >= 1, "synced before the acknowledgement (PER_BATCH)");
        sink.openForever();
        log.close();
        assertEquals(1, sink.committed.get());
    }

    /**
     * The order behind the README's power-loss column (a test cannot cut the power): under PER_BATCH the
     * sink and the acknowledgement come after a sync; under a period the acknowledgement does; under
     * NONE nothing is synced at all. The sink's flush is held until the acknowledgement, so it is the
     * journal's and not the commit's.
     */
    @Test
    void theSyncComesBeforeWhatEachPolicyPromises() throws Exception {
        for (SyncPolicy policy : List.of(SyncPolicy.PER_BATCH, SyncPolicy.every(Duration.ofMillis(50)), SyncPolicy.NONE)) {
            AtomicReference<EventLog<LogEvent>> ref = new AtomicReference<>();
            CountDownLatch acknowledged = new CountDownLatch(1);
            List<Long> syncsSeenBySink = new CopyOnWriteArrayList<>();
            Sink<LogEvent> sink = new Sink<>() {
                @Override
                public void add(LogEvent event) {
                    syncsSeenBySink.add(ref.get().journalStats().syncs());
                }

                @Override
                public void flush() throws InterruptedException {
                    assertTrue(acknowledged.await(10, TimeUnit.SECONDS), "acknowledged while the sink holds its commit");
                }
            };
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).journal(dir.resolve(policy.toString()), policy)
                    .durableAck(EventLog.DurableAck.JOURNAL).shutdownHook(false).jmx(false).start();
            ref.set(log);
            long syncsAtAck = log.publishDurable(LogEvent::set, "t", "a", "p")
                    .thenApply(ok -> log.journalStats().syncs()).get(10, TimeUnit.SECONDS);
            acknowledged.countDown();
            assertTrue(log.flush(Duration.ofSeconds(10)));
            log.close();
            if (policy == SyncPolicy.NONE) {
                assertEquals(0, log.journalStats().syncs(), "none: never synced");
            } else {
                assertTrue(syncsAtAck >= 1, policy + ": acknowledged after a sync");
            }
            if (policy == SyncPolicy.PER_BATCH) {
                assertTrue(syncsSeenBySink.get(0) >= 1, "batch: the sink sees the event after its sync");
            }
        }
    }

    @Test
    void commitAcknowledgedDurableWaitsForTheSinkAsWithoutAJournal() throws Exception {
        GatedSink<LogEvent> sink = new GatedSink<>();
        EventLog<LogEvent> log = builder(sink).start();
        CompletableFuture<Void> done = log.publishDurable(LogEvent::set, "audit", "u1", "{}");
        sink.awaitFlushEntered();
        assertFalse(done.isDone());
        sink.openForever();
        done.get(10, TimeUnit.SECONDS);
        log.close();
    }

    @Test
    void aCustomEventNeedsACodecAndReplaysThroughIt() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> none = RecordingSink.ofTestEvents();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventLog.builder(TestEvent::new, none).journal(dir).shutdownHook(false).jmx(false).start());
        assertEquals("the journal (" + dir + ") has no codec for events of type dev.ringlog.TestEvent: only LogEvent"
                + " has one built in; pass a JournalCodec with journal(directory, sync, codec)", e.getMessage());

        JournalCodec<TestEvent> codec = new JournalCodec<>() {
            @Override
            public void write(TestEvent event, DataOutput out) throws IOException {
                out.writeInt(event.producer);
                out.writeLong(event.index);
            }

            @Override
            public void read(DataInput in, TestEvent event) throws IOException {
                event.set(in.readInt(), in.readLong());
            }
        };
        RecordingSink<TestEvent, TestEvent.Copy> downSink = RecordingSink.ofTestEvents();
        downSink.beforeFlush = b -> {
            throw new IOException("down");
        };
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, downSink).journal(dir, SyncPolicy.NONE, codec)
                .shutdownTimeout(Duration.ofMillis(300)).shutdownHook(false).jmx(false).start();
        for (long i = 0; i < 10; i++) {
            log.publish(TestEvent::write, 7, i);
        }
        Await.until(() -> log.journalStats().records() == 10, "journalled");
        log.close();
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        EventLog<TestEvent> again = EventLog.builder(TestEvent::new, sink).journal(dir, SyncPolicy.NONE, codec)
                .shutdownHook(false).jmx(false).start();
        assertTrue(again.flush(Duration.ofSeconds(10)));
        again.close();
        List<TestEvent.Copy> want = new ArrayList<>();
        for (long i = 0; i < 10; i++) {
            want.add(new TestEvent.Copy(7, i));
        }
        assertEquals(want, sink.committed);
    }

    @Test
    void aSecondLogOnTheSameDirectoryIsRefused() {
        EventLog<LogEvent> log = builder(recording()).start();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder(recording()).start());
            assertTrue(e.getMessage().contains("is in use by another running log"), e.getMessage());
        } finally {
            log.close();
        }
    }

    @Test
    void aReplayLargerThanTheRingIsRefusedNamingTheRingSizeToUse() throws Exception {
        leaveUncommitted(200, SyncPolicy.NONE);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EventLog.builder(LogEvent::new, recording()).ringSize(64).journal(dir).shutdownHook(false).jmx(false).start());
        assertEquals("ringlog[default]: the journal holds 200 events not yet committed, more than ringSize=64 can replay:"
                + " start with a ringSize of at least 256", e.getMessage());
        // the directory is not left locked: a log with a ring large enough replays it
        RecordingSink<LogEvent, Row> sink = recording();
        EventLog<LogEvent> log = builder(sink).start();
        assertTrue(log.flush(Duration.ofSeconds(10)));
        log.close();
        assertEquals(200, sink.committed.size());
    }

    @Test
    void journalKeysAreValidatedNamingKeyValueAndRange() {
        assertEquals("ringlog.journal.sync must be none, batch or a period in [1ms, 1m] (100ms): ringlog.journal.sync=sometimes",
                configureFails(Map.of("ringlog.journal.sync", "sometimes")));
        assertEquals("ringlog.journal.sync must be none, batch or a period in [1ms, 1m] (100ms): ringlog.journal.sync=2m",
                configureFails(Map.of("ringlog.journal.sync", "2m")));
        assertEquals("ringlog.journal.sync must be none, batch or a period in [1ms, 1m] (100ms): ringlog.journal.sync=999us",
                configureFails(Map.of("ringlog.journal.sync", "999us")));
        assertEquals("ringlog.journal.maxBytes must be in [2^20, 2^50] bytes (1 MiB to 1 PiB): ringlog.journal.maxBytes=1000",
                configureFails(Map.of("ringlog.journal.maxBytes", "1000")));
        assertEquals("ringlog.journal.maxBytes must be an integer of digits 0-9: ringlog.journal.maxBytes=1GB",
                configureFails(Map.of("ringlog.journal.maxBytes", "1GB")));
        assertEquals("ringlog.journal.ack must be commit or journal: ringlog.journal.ack=disk",
                configureFails(Map.of("ringlog.journal.ack", "disk")));
        assertEquals("ringlog.journal.dir must be a directory path: ringlog.journal.dir= ",
                configureFails(Map.of("ringlog.journal.dir", " ")));
        assertEquals("journal sync period must be in [1ms, 1m]: journal sync period=0",
                assertThrows(IllegalArgumentException.class, () -> SyncPolicy.every(Duration.ZERO)).getMessage());
        IllegalArgumentException ack = assertThrows(IllegalArgumentException.class, () -> EventLog.builder(LogEvent::new, recording())
                .durableAck(EventLog.DurableAck.JOURNAL).shutdownHook(false).jmx(false).start());
        assertEquals("durableAck=journal needs a journal: set journal(directory) or ringlog.journal.dir", ack.getMessage());
        IllegalArgumentException sync = assertThrows(IllegalArgumentException.class, () -> EventLog.builder(LogEvent::new, recording())
                .journal(dir).mode(EventLog.Mode.SYNC).shutdownHook(false).jmx(false).start());
        assertTrue(sync.getMessage().contains("works with mode=async only"), sync.getMessage());
    }

    @Test
    void journalKeysConfigureTheJournal() throws Exception {
        RecordingSink<LogEvent, Row> sink = recording();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).shutdownHook(false).jmx(false)
                .configure(Map.of("ringlog.journal.dir", dir.toString(), "ringlog.journal.sync", "20ms",
                        "ringlog.journal.maxBytes", "2097152", "ringlog.journal.ack", "journal"))
                .start();
        log.publishDurable(LogEvent::set, "t", "a", "p").get(10, TimeUnit.SECONDS);
        Await.until(() -> log.journalStats().syncs() >= 1, "a periodic sync");
        log.close();
        assertEquals(1, sink.committed.size());
        assertTrue(Files.exists(dir.resolve("journal.lock")));
    }

    private String configureFails(Map<String, String> config) {
        return assertThrows(IllegalArgumentException.class,
                () -> EventLog.builder(LogEvent::new, recording()).configure(config)).getMessage();
    }
}
