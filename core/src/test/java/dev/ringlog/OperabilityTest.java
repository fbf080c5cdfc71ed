package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a dashboard reads: drops by reason, the sink's health, batch sizes, commit times, the ring, JMX. */
@Timeout(60)
class OperabilityTest {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @Test
    void countsDropsByReasonAndShowsTheRingFilling() throws Exception {
        GatedSink<TestEvent> sink = new GatedSink<>();
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).name("drops").ringSize(64).maxBatchSize(64)
                .shutdownHook(false).start();
        assertEquals(64, log.ringCapacity());
        assertEquals(64, log.ringRemaining());
        log.publish(TestEvent::write, 0, 0L);
        sink.awaitFlushEntered();
        for (long i = 1; i < 70; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        assertEquals(0, log.ringRemaining());
        assertEquals(6, log.dropped(DropReason.RING_FULL));
        sink.openForever();
        log.close();
        assertFalse(log.publish(TestEvent::write, 0, 70L));
        assertFalse(log.publish(TestEvent::write, 0, 71L));
        assertEquals(2, log.dropped(DropReason.CLOSED));
        assertEquals(0, log.dropped(DropReason.SINK_STOPPED));
        assertEquals(8, log.stats().dropped(), "the reasons add up to dropped");
        assertEquals(64, log.ringRemaining());
    }

    @Test
    void reportsRetryingWithSinceCountCauseAndNextAttemptThenWritingAgainThenStopped() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        sink.beforeFlush = batch -> {
            if (down.get()) {
                throw new IOException("database down");
            }
        };
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).name("health")
                .retry(RetryPolicy.backoff(Duration.ofMillis(20), Duration.ofMillis(200))).shutdownHook(false).start();
        assertEquals(SinkState.WRITING, log.sinkHealth().state());
        Instant before = Instant.now().minusMillis(1);
        log.publish(TestEvent::write, 0, 0L);
        Await.until(() -> log.sinkHealth().consecutiveFailures() >= 3, "three failed attempts");
        SinkHealth failing = log.sinkHealth();
        assertEquals(SinkState.RETRYING, failing.state());
        assertEquals("java.io.IOException: database down", failing.lastFailure());
        assertFalse(failing.failingSince().isBefore(before), failing.toString());
        assertTrue(failing.nextAttempt().isAfter(failing.failingSince()), failing.toString());
        ObjectName name = new ObjectName("dev.ringlog:type=EventLog,name=health");
        assertEquals("RETRYING", JMX.getAttribute(name, "SinkState"));
        assertEquals("java.io.IOException: database down", JMX.getAttribute(name, "LastFailure"));

        down.set(false);
        assertTrue(log.flush(Duration.ofSeconds(10)));
        SinkHealth recovered = log.sinkHealth();
        assertEquals(new SinkHealth(SinkState.WRITING, 0, null, "java.io.IOException: database down", null), recovered);
        log.close();
        assertEquals(SinkState.STOPPED, log.sinkHealth().state());
    }

    @Test
    void recordsEveryCommittedBatchSizeAndCommitTime() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).name("batches").maxBatchSize(100)
                .linger(Duration.ofSeconds(30)).shutdownHook(false).start();
        for (long i = 0; i < 1_000; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        assertTrue(log.flush(Duration.ofSeconds(10)));
        Distribution sizes = log.batchSizes();
        Distribution nanos = log.commitNanos();
        EventLog.Stats stats = log.stats();
        assertEquals(stats.batches(), sizes.count());
        assertEquals(1_000, sizes.total());
        assertEquals(100, sizes.max());
        assertEquals(stats.batches(), nanos.count());
        assertTrue(nanos.max() > 0 && nanos.total() >= nanos.max(), nanos.toString());
        log.close();
    }

    @Test
    void timesEveryDurableAcknowledgementFromPublishToCommit() throws Exception {
        GatedSink<TestEvent> sink = new GatedSink<>();
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).name("acks").shutdownHook(false).start();
        long before = System.nanoTime();
        java.util.concurrent.CompletableFuture<Void> first = log.publishDurable(TestEvent::write, 0, 0L);
        sink.awaitFlushEntered();
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // the commit is held back at least this long
        sink.openForever();
        first.get(10, java.util.concurrent.TimeUnit.SECONDS);
        long bound = System.nanoTime() - before;
        log.publish(TestEvent::write, 0, 1L); // not durable: not timed
        log.publishDurable(TestEvent::write, 0, 2L).get(10, java.util.concurrent.TimeUnit.SECONDS);
        Distribution acks = log.durableAckNanos();
        assertEquals(2, acks.count());
        assertTrue(acks.max() >= 20_000_000 && acks.max() <= bound, acks.toString());
        log.close();
    }

    @Test
    void registersInJmxWhileRunningWithTheCountersOfStats() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).name("jmx-view").ringSize(1024)
                .shutdownHook(false).start();
        ObjectName name = new ObjectName("dev.ringlog:type=EventLog,name=jmx-view");
        for (long i = 0; i < 500; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        assertTrue(log.flush(Duration.ofSeconds(10)));
        EventLog.Stats stats = log.stats();
        assertEquals(stats.accepted(), JMX.getAttribute(name, "Accepted"));
        assertEquals(stats.written(), JMX.getAttribute(name, "Written"));
        assertEquals(0L, JMX.getAttribute(name, "Pending"));
        assertEquals(stats.batches(), JMX.getAttribute(name, "Batches"));
        assertEquals(1024, JMX.getAttribute(name, "RingCapacity"));
        assertEquals(1024L, JMX.getAttribute(name, "RingRemaining"));
        assertEquals("WRITING", JMX.getAttribute(name, "SinkState"));
        for (String attribute : new String[] {"Dropped", "DroppedRingFull", "DroppedClosed", "DroppedSinkStopped",
                "DroppedFromSink", "Failed", "Retries"}) {
            assertEquals(0L, JMX.getAttribute(name, attribute), attribute);
        }
        log.close();
        assertFalse(JMX.isRegistered(name), "close() unregisters it");
    }

    @Test
    void aSecondLogWithTheSameNameStaysOutOfJmxAndLeavesTheFirstRegistered() throws Exception {
        ObjectName name = new ObjectName("dev.ringlog:type=EventLog,name=twin");
        EventLog<TestEvent> first = EventLog.builder(TestEvent::new, RecordingSink.ofTestEvents()).name("twin")
                .shutdownHook(false).start();
        EventLog<TestEvent> second = EventLog.builder(TestEvent::new, RecordingSink.ofTestEvents()).name("twin")
                .shutdownHook(false).start();
        second.publish(TestEvent::write, 0, 0L);
        assertTrue(second.flush(Duration.ofSeconds(10)), "the second log works, outside JMX");
        assertEquals(0L, JMX.getAttribute(name, "Accepted"), "the bean is the first log's");
        second.close();
        assertTrue(JMX.isRegistered(name), "closing the second does not unregister the first");
        first.close();
        assertFalse(JMX.isRegistered(name));
    }

    @Test
    void jmxCanBeTurnedOff() throws Exception {
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, RecordingSink.ofTestEvents()).name("no-jmx")
                .jmx(false).shutdownHook(false).start();
        assertFalse(JMX.isRegistered(new ObjectName("dev.ringlog:type=EventLog,name=no-jmx")));
        log.close();
    }
}
