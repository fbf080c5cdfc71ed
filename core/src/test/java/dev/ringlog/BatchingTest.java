package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When the sink thread flushes: end of batch, maxBatchSize, linger; time comes from a manual ticker. */
@Timeout(60)
class BatchingTest {

    /** Records batch sizes and counts flushes down on a latch. */
    static final class BatchSizes implements Sink<TestEvent> {
        final List<Integer> sizes = new CopyOnWriteArrayList<>();
        final CountDownLatch flushes;
        private int batch;

        BatchSizes(int expectedFlushes) {
            flushes = new CountDownLatch(expectedFlushes);
        }

        @Override
        public void add(TestEvent e) {
            batch++;
        }

        @Override
        public void flush() {
            sizes.add(batch);
            batch = 0;
            flushes.countDown();
        }

        void await() throws InterruptedException {
            assertTrue(flushes.await(10, TimeUnit.SECONDS), "flushes so far: " + sizes);
        }
    }

    /** A manual ticker that counts how often the sink thread looked at it. */
    static final class WatchedTicker implements Ticker {
        final ManualTicker time = new ManualTicker();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public long read() {
            reads.incrementAndGet();
            return time.read();
        }

        void awaitReads(int n) {
            int target = reads.get() + n;
            Await.until(() -> reads.get() >= target, "the sink thread reads the ticker " + n + " times");
        }
    }

    private EventLog<TestEvent> log;

    /** Waits until {@code t} is parked in the idle wait strategy. */
    private static void awaitParked(Thread t) {
        Await.until(() -> t.getState() == Thread.State.TIMED_WAITING
                && java.util.concurrent.locks.LockSupport.getBlocker(t) instanceof IdleWaitStrategy, "the sink thread parks");
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void flushesWhenTheSinkThreadCatchesUpWithoutLinger() throws Exception {
        BatchSizes sink = new BatchSizes(1);
        log = EventLog.builder(TestEvent::new, sink).shutdownHook(false).start();
        log.publish(TestEvent::write, 0, 0L);
        sink.await();
        assertEquals(List.of(1), sink.sizes);
    }

    @Test
    void flushesAtMaxBatchSizeWithoutWaitingForLinger() throws Exception {
        BatchSizes sink = new BatchSizes(10);
        WatchedTicker ticker = new WatchedTicker();
        log = EventLog.builder(TestEvent::new, sink).ringSize(1024).maxBatchSize(100).linger(Duration.ofSeconds(30))
                .ticker(ticker).overflow(OverflowPolicy.BLOCK).shutdownHook(false).start();
        for (long i = 0; i < 1_000; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        sink.await();
        assertEquals(List.of(100, 100, 100, 100, 100, 100, 100, 100, 100, 100), sink.sizes);
    }

    @Test
    void holdsEventsUntilLingerHasPassedThenFlushesThemAsOneBatch() throws Exception {
        BatchSizes sink = new BatchSizes(1);
        WatchedTicker ticker = new WatchedTicker();
        log = EventLog.builder(TestEvent::new, sink).linger(Duration.ofSeconds(5)).ticker(ticker)
                .shutdownHook(false).start();
        for (long i = 0; i < 50; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        ticker.awaitReads(5); // the sink thread has checked the time at least five times since
        ticker.time.advance(Duration.ofMillis(4_999));
        ticker.awaitReads(3);
        assertEquals(List.of(), sink.sizes, "nothing flushed before linger has passed");
        ticker.time.advance(Duration.ofMillis(1));
        sink.await();
        assertEquals(List.of(50), sink.sizes);
    }

    @Test
    void flushCutsLingerShort() throws Exception {
        BatchSizes sink = new BatchSizes(1);
        log = EventLog.builder(TestEvent::new, sink).linger(Duration.ofSeconds(30)).ticker(new ManualTicker())
                .shutdownHook(false).start();
        for (long i = 0; i < 20; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        assertTrue(log.flush(Duration.ofSeconds(10)));
        assertEquals(List.of(20), sink.sizes);
    }

    @Test
    void batchesGrowUnderLoad() throws Exception {
        BatchSizes sink = new BatchSizes(1);
        log = EventLog.builder(TestEvent::new, new Sink<TestEvent>() {
            @Override
            public void add(TestEvent e) {
                sink.add(e);
            }

            @Override
            public void flush() {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // a store that takes 0.2 ms a commit
                sink.flush();
            }
        }).overflow(OverflowPolicy.BLOCK).shutdownHook(false).start();
        for (long i = 0; i < 200_000; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        log.close();
        int largest = sink.sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        assertEquals(1_000, largest, "batches fill up to maxBatchSize while the store is the bottleneck");
        assertTrue(sink.sizes.size() < 2_000, "flushes: " + sink.sizes.size());
    }

    @Test
    void aBurstWakesAnIdleSinkThreadWithoutWaitingForItsPark() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        EventLog.Builder<TestEvent> builder = EventLog.builder(TestEvent::new, sink).ringSize(1024)
                .overflow(OverflowPolicy.BLOCK).shutdownHook(false);
        // An idle sink thread that parks for an hour at once: only a producer's wake-up can move it.
        Thread[] sinkThread = new Thread[1];
        builder.threadFactory(r -> sinkThread[0] = new Thread(r, "sink"));
        builder.settings().minIdleParkNanos = java.util.concurrent.TimeUnit.HOURS.toNanos(1);
        builder.settings().maxIdleParkNanos = java.util.concurrent.TimeUnit.HOURS.toNanos(1);
        builder.settings().idleTickNanos = java.util.concurrent.TimeUnit.HOURS.toNanos(2);
        log = builder.start();
        log.publish(TestEvent::write, 0, 0L); // sequence 0 is a multiple of 128: it wakes the sink thread
        Await.until(() -> log.stats().written() == 1, "the first event is written");
        awaitParked(sinkThread[0]);
        // Sequences 1 to 127 do not wake it; 128, the next eighth of the ring, does.
        for (long i = 1; i <= 128; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        Await.until(() -> log.stats().written() == 129, "sequence 128 wakes the sink thread");
        assertEquals(129, sink.committed.size());
    }
}
