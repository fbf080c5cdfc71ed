package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ringlog.mode=sync: the rollback switch writes on the caller's thread with the same accounting. */
@Timeout(60)
class SyncModeTest {

    private final RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();

    @Test
    void writesAndCommitsOnTheCallersThreadBeforePublishReturns() {
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).configure(Map.of("ringlog.mode", "sync"))
                .shutdownHook(false).start();
        assertTrue(log.publish(TestEvent::write, 0, 7L));
        assertEquals(List.of(new TestEvent.Copy(0, 7)), sink.committed);
        assertEquals(Thread.currentThread(), sink.threads.get(0));
        log.close();
        assertTrue(sink.closed);
        assertFalse(log.publish(TestEvent::write, 0, 8L));
        assertEquals(new EventLog.Stats(1, 1, 1, 0, 0, 1, 0), log.stats());
    }

    @Test
    void theEnvironmentVariableSelectsSyncMode() {
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).environment(Map.of("RINGLOG_MODE", "sync"))
                .shutdownHook(false).start();
        log.publish(TestEvent::write, 0, 1L);
        assertEquals(1, sink.committed.size(), "committed before publish returned");
        log.close();
    }

    @Test
    void keepsTheSameAccountingWithRetriesAndDeadLettersAcrossThreads() throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        sink.beforeFlush = batch -> {
            if (flushes.incrementAndGet() % 100 == 0) {
                throw new IOException("blip");
            }
        };
        sink.beforeAdd = e -> {
            if (e.index == 500) {
                throw new IllegalArgumentException("bad");
            }
        };
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).mode(EventLog.Mode.SYNC)
                .overflow(OverflowPolicy.BLOCK) // callers may wait for the store: blips are retried
                .retry(RetryPolicy.backoff(Duration.ofNanos(1_000), Duration.ofNanos(1_000)))
                .deadLetters((e, c) -> { }).shutdownHook(false).start();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> producers = new java.util.ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int producer = p;
            producers.add(pool.submit(() -> {
                for (long i = 0; i < 5_000; i++) {
                    log.publish(TestEvent::write, producer, i);
                }
            }));
        }
        for (Future<?> f : producers) {
            f.get();
        }
        pool.shutdown();
        assertTrue(log.flush(Duration.ofSeconds(1)));
        log.close();
        EventLog.Stats stats = log.stats();
        assertEquals(20_000, stats.accepted());
        assertEquals(19_996, stats.written());
        assertEquals(4, stats.failed());
        assertEquals(0, stats.pending());
        assertTrue(stats.retries() > 0);
        assertEquals(19_996, sink.committed.size());
    }

    @Test
    void aPublishFromInsideTheSinkIsDroppedRatherThanReenteringIt() {
        @SuppressWarnings("unchecked")
        EventLog<TestEvent>[] self = new EventLog[1];
        sink.beforeAdd = e -> {
            if (e.producer == 0) {
                assertFalse(self[0].publish(TestEvent::write, 1, e.index));
            }
        };
        self[0] = EventLog.builder(TestEvent::new, sink).mode(EventLog.Mode.SYNC).shutdownHook(false).start();
        CompletableFuture<Void> durable = self[0].publishDurable(TestEvent::write, 0, 1L);
        assertEquals(null, durable.handle((ok, failure) -> failure).join());
        self[0].close();
        assertEquals(new EventLog.Stats(1, 1, 1, 0, 0, 1, 0), self[0].stats());
    }

    @Test
    void aFailingStoreHoldsTheCallerNoLongerThanTheOverflowPolicyAllows() {
        IOException down = new IOException("database down");
        sink.beforeFlush = batch -> {
            throw down;
        };
        java.util.Map<Long, Throwable> deadLetters = new java.util.concurrent.ConcurrentHashMap<>();
        EventLog<TestEvent> dropping = EventLog.builder(TestEvent::new, sink).mode(EventLog.Mode.SYNC)
                .retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(5)))
                .deadLetters((e, cause) -> deadLetters.put(e.index, cause)).shutdownHook(false).start();
        assertTrue(dropping.publish(TestEvent::write, 0, 1L), "accepted, then dead-lettered at once under DROP");
        assertEquals(down, deadLetters.get(1L));
        assertEquals(new EventLog.Stats(1, 0, 0, 1, 0, 0, 0), dropping.stats());
        dropping.close();

        EventLog<TestEvent> bounded = EventLog.builder(TestEvent::new, sink).mode(EventLog.Mode.SYNC)
                .overflow(OverflowPolicy.blockFor(Duration.ofMillis(50)))
                .retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(5)))
                .deadLetters((e, cause) -> deadLetters.put(e.index, cause)).shutdownHook(false).start();
        long start = System.nanoTime();
        assertTrue(bounded.publish(TestEvent::write, 0, 2L));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 50 && waitedMs < 1_000, "retried for the policy's 50 ms, no longer: " + waitedMs);
        assertEquals(down, deadLetters.get(2L));
        EventLog.Stats stats = bounded.stats();
        assertEquals(1, stats.failed());
        assertTrue(stats.retries() > 3, stats.toString());
        bounded.close();
    }

    @Test
    void aSinkThatClosesItsOwnLogMidBatchIsClosedOnlyAfterTheBatch() {
        @SuppressWarnings("unchecked")
        EventLog<TestEvent>[] self = new EventLog[1];
        List<Boolean> closedAtFlush = new java.util.ArrayList<>();
        sink.beforeAdd = e -> self[0].close();
        sink.beforeFlush = batch -> closedAtFlush.add(sink.closed);
        self[0] = EventLog.builder(TestEvent::new, sink).mode(EventLog.Mode.SYNC).shutdownHook(false).start();
        assertTrue(self[0].publish(TestEvent::write, 0, 1L));
        assertEquals(List.of(false), closedAtFlush, "the sink was still open when its batch flushed");
        assertTrue(sink.closed, "and closed once the batch was done");
        assertEquals(new EventLog.Stats(1, 0, 1, 0, 0, 1, 0), self[0].stats());
    }

    @Test
    void concurrentClosesCloseTheSinkOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            AtomicInteger closes = new AtomicInteger();
            Sink<TestEvent> counting = new Sink<>() {
                @Override
                public void add(TestEvent e) {
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                    closes.incrementAndGet();
                }
            };
            EventLog<TestEvent> log = EventLog.builder(TestEvent::new, counting).mode(EventLog.Mode.SYNC).shutdownHook(false).start();
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
                await(together);
                log.close();
            }, r -> new Thread(r).start());
            await(together);
            log.close();
            other.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(1, closes.get(), "round " + round);
        }
    }

    @Test
    void aPublishHaltedByACloseThatTimedOutIsRefusedNotLeftPending() throws Exception {
        sink.beforeFlush = batch -> {
            throw new IOException("database down");
        };
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).mode(EventLog.Mode.SYNC)
                .overflow(OverflowPolicy.BLOCK).retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(5)))
                .shutdownTimeout(Duration.ofMillis(100)).shutdownHook(false).start();
        java.util.concurrent.CompletableFuture<CompletableFuture<Void>> publishing = new CompletableFuture<>();
        Thread publisher = new Thread(() -> publishing.complete(log.publishDurable(TestEvent::write, 0, 1L)), "publisher");
        publisher.start();
        Await.until(() -> log.stats().retries() > 0, "the publish is retrying the store");
        log.close();
        CompletableFuture<Void> durable = publishing.get(10, java.util.concurrent.TimeUnit.SECONDS);
        Throwable outcome = durable.handle((ok, f) -> f).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(outcome instanceof java.util.concurrent.RejectedExecutionException, String.valueOf(outcome));
        EventLog.Stats stats = log.stats();
        assertEquals(0, stats.accepted(), stats.toString());
        assertEquals(1, stats.dropped(), stats.toString());
        assertEquals(0, stats.pending(), stats.toString());
        assertTrue(sink.closed, "the halted publish closed the sink");
    }

    private static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
