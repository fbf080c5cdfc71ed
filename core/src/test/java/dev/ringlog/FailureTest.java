package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the sink thread does when the sink, the writer or the dead-letter handler fails. */
@Timeout(60)
class FailureTest {

    private static final RetryPolicy FAST_RETRY = RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(4));

    private final RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
    private final Map<Long, Throwable> deadLetters = new ConcurrentHashMap<>();
    private EventLog<TestEvent> log;

    private EventLog<TestEvent> start(EventLog.Builder<TestEvent> builder) {
        log = builder.retry(FAST_RETRY).deadLetters((e, cause) -> deadLetters.put(e.index, cause))
                .shutdownHook(false).start();
        return log;
    }

    private EventLog.Builder<TestEvent> builder() {
        return EventLog.builder(TestEvent::new, sink).name("failures").overflow(OverflowPolicy.BLOCK);
    }

    private void publish(long from, long to) {
        for (long i = from; i < to; i++) {
            assertTrue(log.publish(TestEvent::write, 0, i));
        }
    }

    private List<Long> committedIndexes() {
        List<Long> indexes = new ArrayList<>();
        sink.committed.forEach(c -> indexes.add(c.index()));
        return indexes;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void retriesRetryableFailuresFromTheSameFirstEventHalvingTheAttemptThenGrowingBack() {
        AtomicInteger failuresLeft = new AtomicInteger(5);
        List<List<Long>> attempts = new ArrayList<>();
        sink.beforeFlush = batch -> {
            attempts.add(batch.stream().map(TestEvent.Copy::index).toList());
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IOException("database down");
            }
        };
        // A long linger gathers all 100 events into one batch, which flush(timeout) then forces out.
        start(builder().linger(Duration.ofSeconds(30)));
        publish(0, 100);
        assertTrue(log.flush(Duration.ofSeconds(10)));

        // Each failed attempt is retried from the same first event with half as many events, so that an
        // attempt fits between the faults of a flapping store; after successes, attempts double again.
        assertEquals(List.of(100, 50, 25, 12, 6, 3, 6, 12, 24, 48, 7), attempts.stream().map(List::size).toList());
        long first = 0;
        for (int k = 0; k < attempts.size(); k++) {
            List<Long> attempt = attempts.get(k);
            assertEquals(LongStream.range(first, first + attempt.size()).boxed().toList(), attempt, "in order, no gap");
            if (k >= 5) { // the first five attempts failed; from the sixth on each one commits
                first += attempt.size();
            }
        }
        assertEquals(LongStream.range(0, 100).boxed().toList(), committedIndexes());
        EventLog.Stats stats = log.stats();
        assertEquals(new EventLog.Stats(100, 0, 100, 0, 0, 6, 5), stats);
    }

    @Test
    void isolatesTheEventTheSinkRejectsOnAdd() {
        sink.beforeAdd = e -> {
            if (e.index == 37) {
                throw new IllegalArgumentException("bad value 37");
            }
        };
        start(builder().linger(Duration.ofSeconds(30)));
        publish(0, 100);
        assertTrue(log.flush(Duration.ofSeconds(10)));

        assertEquals(LongStream.range(0, 100).filter(i -> i != 37).boxed().toList(), committedIndexes());
        assertEquals("bad value 37", deadLetters.get(37L).getMessage());
        assertEquals(1, deadLetters.size());
        EventLog.Stats stats = log.stats();
        assertEquals(new EventLog.Stats(100, 0, 99, 1, 0, stats.batches(), 0), stats);
    }

    @Test
    void isolatesTheEventsTheSinkRejectsOnFlush() {
        // The store refuses a whole batch that contains 13 or 77 (a constraint checked at commit time).
        sink.beforeFlush = batch -> {
            for (TestEvent.Copy c : batch) {
                if (c.index() == 13 || c.index() == 77) {
                    throw new IllegalStateException("constraint violated by " + c.index());
                }
            }
        };
        start(builder().linger(Duration.ofSeconds(30)));
        publish(0, 100);
        assertTrue(log.flush(Duration.ofSeconds(10)));

        assertEquals(LongStream.range(0, 100).filter(i -> i != 13 && i != 77).boxed().toList(), committedIndexes());
        assertEquals("constraint violated by 13", deadLetters.get(13L).getMessage());
        assertEquals("constraint violated by 77", deadLetters.get(77L).getMessage());
        assertEquals(2, deadLetters.size());
        EventLog.Stats stats = log.stats();
        assertEquals(new EventLog.Stats(100, 0, 98, 2, 0, stats.batches(), 0), stats);
        assertTrue(stats.batches() < 20, "halving finds two bad events in a few flushes: " + stats);
    }

    @Test
    void aSinkErrorNeverKillsTheSinkThread() {
        sink.beforeAdd = e -> {
            if (e.index % 10 == 0) {
                throw new StackOverflowError("sink bug at " + e.index);
            }
        };
        start(builder());
        publish(0, 1_000);
        assertTrue(log.flush(Duration.ofSeconds(10)));
        sink.beforeAdd = e -> { };
        publish(1_000, 2_000);
        assertTrue(log.flush(Duration.ofSeconds(10)), "the sink thread is still draining");

        assertEquals(100, deadLetters.size());
        EventLog.Stats stats = log.stats();
        assertEquals(new EventLog.Stats(2_000, 0, 1_900, 100, 0, stats.batches(), 0), stats);
    }

    @Test
    void aThrowingDeadLetterHandlerLeavesTheEventCountedAsFailed() {
        sink.beforeAdd = e -> {
            if (e.index == 5) {
                throw new IllegalArgumentException("bad");
            }
        };
        log = builder().deadLetters((e, cause) -> {
            throw new IllegalStateException("handler bug");
        }).shutdownHook(false).start();
        publish(0, 10);
        assertTrue(log.flush(Duration.ofSeconds(10)));
        publish(10, 20);
        assertTrue(log.flush(Duration.ofSeconds(10)));
        EventLog.Stats stats = log.stats();
        assertEquals(new EventLog.Stats(20, 0, 19, 1, 0, stats.batches(), 0), stats);
    }

    @Test
    void givesUpAfterMaxAttemptsAndDeadLettersTheBatch() {
        IOException down = new IOException("down for good");
        sink.beforeFlush = batch -> {
            throw down;
        };
        log = builder().linger(Duration.ofSeconds(30)).retry(FAST_RETRY.maxAttempts(3))
                .deadLetters((e, cause) -> deadLetters.put(e.index, cause)).shutdownHook(false).start();
        publish(0, 10);
        assertTrue(log.flush(Duration.ofSeconds(10)));
        assertEquals(10, deadLetters.size());
        assertSame(down, deadLetters.get(0L));
        assertEquals(new EventLog.Stats(10, 0, 0, 10, 0, 0, 2), log.stats());
    }

    @Test
    void aWriterThatThrowsReachesTheCallerAndItsEventIsDeadLettered() {
        start(builder());
        publish(0, 5);
        IllegalStateException bug = new IllegalStateException("writer bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> log.publish((e, x) -> {
            e.set(0, 5);
            throw bug;
        }, "x")));
        publish(6, 10);
        assertTrue(log.flush(Duration.ofSeconds(10)));

        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L), committedIndexes());
        assertSame(bug, deadLetters.get(5L));
        EventLog.Stats stats = log.stats();
        assertEquals(new EventLog.Stats(10, 0, 9, 1, 0, stats.batches(), 0), stats);
    }

    @Test
    void aNullWriterIsAProgrammingError() {
        start(builder());
        assertThrows(NullPointerException.class, () -> log.publish((EventWriter<TestEvent>) null));
        assertThrows(NullPointerException.class, () -> log.publish(null, 1));
        assertThrows(NullPointerException.class, () -> log.publish(null, 1, 2));
        assertThrows(NullPointerException.class, () -> log.publish(null, 1, 2, 3));
        assertThrows(NullPointerException.class, () -> log.publishDurable((EventWriter<TestEvent>) null));
        assertEquals(new EventLog.Stats(0, 0, 0, 0, 0, 0, 0), log.stats());
    }
}
