package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four producers publish a million events each; every event carries its producer and index, so the
 * sink checks, as it commits, that each producer's events arrive exactly once and in order.
 */
@Timeout(120)
class StressTest {

    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 1_000_000;

    /** Checks order as events are committed; keeps which indexes arrived. */
    static final class OrderCheckingSink implements Sink<TestEvent> {
        final long[] last = new long[PRODUCERS];
        final BitSet[] seen = new BitSet[PRODUCERS];
        final List<String> violations = new ArrayList<>();
        private final List<TestEvent.Copy> batch = new ArrayList<>();
        long committed;

        OrderCheckingSink() {
            java.util.Arrays.fill(last, -1);
            for (int p = 0; p < PRODUCERS; p++) {
                seen[p] = new BitSet(PER_PRODUCER);
            }
        }

        @Override
        public void add(TestEvent e) {
            batch.add(TestEvent.Copy.of(e));
        }

        @Override
        public void flush() {
            for (TestEvent.Copy c : batch) {
                if (c.index() <= last[c.producer()] && violations.size() < 10) {
                    violations.add("producer " + c.producer() + ": " + c.index() + " after " + last[c.producer()]);
                }
                last[c.producer()] = c.index();
                seen[c.producer()].set((int) c.index());
            }
            committed += batch.size();
            batch.clear();
        }
    }

    private static BitSet[] run(EventLog<TestEvent> log) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
        CyclicBarrier start = new CyclicBarrier(PRODUCERS);
        List<Future<BitSet>> results = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            Integer producer = p;
            results.add(pool.submit(() -> {
                BitSet accepted = new BitSet(PER_PRODUCER);
                start.await();
                for (long i = 0; i < PER_PRODUCER; i++) {
                    if (log.publish(TestEvent::write, producer, i)) {
                        accepted.set((int) i);
                    }
                }
                return accepted;
            }));
        }
        BitSet[] accepted = new BitSet[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            accepted[p] = results.get(p).get();
        }
        pool.shutdown();
        return accepted;
    }

    @Test
    void deliversEveryEventExactlyOnceInOrderPerProducerUnderBlock() throws Exception {
        OrderCheckingSink sink = new OrderCheckingSink();
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).name("stress-block")
                .ringSize(1024).maxBatchSize(256).overflow(OverflowPolicy.BLOCK).shutdownHook(false).start();
        BitSet[] accepted = run(log);
        log.close();

        assertEquals(List.of(), sink.violations);
        EventLog.Stats stats = log.stats();
        assertEquals(new EventLog.Stats(4_000_000, 0, 4_000_000, 0, 0, stats.batches(), 0), stats);
        assertEquals(4_000_000, sink.committed);
        for (int p = 0; p < PRODUCERS; p++) {
            assertEquals(PER_PRODUCER, accepted[p].cardinality());
            assertEquals(accepted[p], sink.seen[p], "producer " + p);
        }
    }

    @Test
    void accountsForEveryCallUnderDrop() throws Exception {
        OrderCheckingSink sink = new OrderCheckingSink();
        // A small ring and a sink that pauses now and then make drops certain.
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, new Sink<TestEvent>() {
                    int flushes;

                    @Override
                    public void add(TestEvent e) {
                        sink.add(e);
                    }

                    @Override
                    public void flush() {
                        if (++flushes % 64 == 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                        }
                        sink.flush();
                    }
                }).name("stress-drop")
                .ringSize(256).maxBatchSize(64).overflow(OverflowPolicy.DROP).shutdownHook(false).start();
        BitSet[] accepted = run(log);
        log.close();

        assertEquals(List.of(), sink.violations);
        EventLog.Stats stats = log.stats();
        assertEquals(4_000_000, stats.accepted() + stats.dropped(), stats.toString());
        assertTrue(stats.dropped() > 0, "the test must make the ring overflow: " + stats);
        assertEquals(stats.accepted(), stats.written());
        assertEquals(0, stats.pending());
        assertEquals(stats.written(), sink.committed);
        long acceptedCalls = 0;
        for (int p = 0; p < PRODUCERS; p++) {
            assertEquals(accepted[p], sink.seen[p], "producer " + p + ": the accepted events are exactly the written ones");
            acceptedCalls += accepted[p].cardinality();
        }
        assertEquals(stats.accepted(), acceptedCalls);
    }

    @Test
    void flushWaitsForEverythingPublishedBefore() throws Exception {
        OrderCheckingSink sink = new OrderCheckingSink();
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).linger(Duration.ofSeconds(30))
                .overflow(OverflowPolicy.BLOCK).shutdownHook(false).start();
        for (long i = 0; i < 100_000; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        assertTrue(log.flush(Duration.ofSeconds(30)));
        assertEquals(100_000, log.stats().written());
        log.close();
    }
}
