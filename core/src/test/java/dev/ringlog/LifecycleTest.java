package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Close, publish after close, and the sink thread publishing into its own log. */
@Timeout(60)
class LifecycleTest {

    private static EventLog.Builder<TestEvent> builder(Sink<? super TestEvent> sink) {
        return EventLog.builder(TestEvent::new, sink).name("lifecycle").shutdownHook(false);
    }

    @Test
    void closeFlushesEveryAcceptedEventAndClosesTheSink() {
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = builder(sink).linger(Duration.ofSeconds(30)).overflow(OverflowPolicy.BLOCK).start();
        for (long i = 0; i < 10_000; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        log.close();
        assertEquals(10_000, sink.committed.size());
        assertTrue(sink.closed);
        assertEquals(new EventLog.Stats(10_000, 0, 10_000, 0, 0, log.stats().batches(), 0), log.stats());
    }

    @Test
    void closeIsIdempotentAndPublishAfterCloseReturnsFalseAndCountsADrop() {
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = builder(sink).start();
        log.publish(TestEvent::write, 0, 0L);
        log.close();
        log.close();
        assertTrue(log.isClosed());
        assertFalse(log.publish(TestEvent::write, 0, 1L));
        assertFalse(log.publish(e -> e.set(0, 2)));
        CompletableFuture<Void> durable = log.publishDurable(e -> e.set(0, 3));
        assertTrue(durable.isCompletedExceptionally());
        assertEquals(new EventLog.Stats(1, 3, 1, 0, 0, 1, 0), log.stats());
        assertTrue(log.flush(Duration.ofSeconds(1)));
    }

    @Test
    void closeRacingProducersLosesNothingUncounted() throws Exception {
        for (int round = 0; round < 20; round++) {
            AtomicLong written = new AtomicLong();
            EventLog<TestEvent> log = builder(new Sink<TestEvent>() {
                @Override
                public void add(TestEvent e) {
                    written.incrementAndGet();
                }

                @Override
                public void flush() {
                }
            }).ringSize(1024).overflow(OverflowPolicy.BLOCK).start();
            int producers = 3;
            ExecutorService pool = Executors.newFixedThreadPool(producers);
            CyclicBarrier start = new CyclicBarrier(producers + 1);
            List<Future<long[]>> calls = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                calls.add(pool.submit(() -> {
                    long accepted = 0;
                    long refused = 0;
                    start.await();
                    for (long i = 0; i < 200_000; i++) {
                        if (log.publish(TestEvent::write, 0, i)) {
                            accepted++;
                        } else {
                            refused++;
                        }
                    }
                    return new long[] {accepted, refused};
                }));
            }
            start.await();
            long started = 1_000L * (round + 1);
            Await.until(() -> log.stats().accepted() >= started, "the producers get going before close");
            log.close();
            long accepted = 0;
            long refused = 0;
            for (Future<long[]> f : calls) {
                accepted += f.get()[0];
                refused += f.get()[1];
            }
            pool.shutdown();
            EventLog.Stats stats = log.stats();
            assertEquals(600_000, stats.accepted() + stats.dropped(), stats.toString());
            assertEquals(accepted, stats.accepted(), stats.toString());
            assertEquals(refused, stats.dropped(), stats.toString());
            assertEquals(accepted, stats.written(), stats.toString());
            assertEquals(accepted, written.get());
            assertEquals(0, stats.pending());
        }
    }

    @Test
    void closeThatTimesOutReturnsInTimeAndNothingIsWrittenAfterIt() throws Exception {
        GatedSink<TestEvent> sink = new GatedSink<>();
        List<Thread> sinkThread = new ArrayList<>();
        EventLog<TestEvent> log = builder(sink).shutdownTimeout(Duration.ofMillis(300)).threadFactory(r -> {
            Thread t = new Thread(r, "gated-sink");
            sinkThread.add(t);
            return t;
        }).start();
        CompletableFuture<Void> inFlight = log.publishDurable(e -> e.set(0, 0));
        sink.awaitFlushEntered(); // the sink thread waits at the gate, as in a pool waiting for a connection
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (long i = 1; i < 10; i++) {
            queued.add(log.publishDurable(TestEvent::write, 0, i));
        }
        long start = System.nanoTime();
        log.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= 250 && tookMs < 1_000, "close returns within shutdownTimeout=300ms: " + tookMs + " ms");

        sink.openForever(); // the database is back: nothing may be written now
        sinkThread.get(0).join(10_000);
        assertFalse(sinkThread.get(0).isAlive(), "the sink thread stopped");
        assertEquals(0, sink.committed.get(), "nothing written after close returned");
        assertEquals(new EventLog.Stats(10, 0, 0, 0, 10, 0, 0), log.stats());
        assertInstanceOf(CancellationException.class, outcome(inFlight));
        for (CompletableFuture<Void> f : queued) {
            assertInstanceOf(CancellationException.class, outcome(f));
        }
        assertFalse(log.flush(Duration.ofMillis(10)));
    }

    @Test
    void closeThatTimesOutWhileTheSinkIgnoresInterruptsLetsTheSinkThreadDecideItsBatch() throws Exception {
        GatedSink<TestEvent> sink = new GatedSink<>();
        sink.uninterruptible = true; // a socket read with no time limit
        List<Thread> sinkThread = new ArrayList<>();
        EventLog<TestEvent> log = builder(sink).shutdownTimeout(Duration.ofMillis(300)).threadFactory(r -> {
            Thread t = new Thread(r, "stuck-sink");
            sinkThread.add(t);
            return t;
        }).start();
        CompletableFuture<Void> inFlight = log.publishDurable(e -> e.set(0, 0));
        sink.awaitFlushEntered();
        CompletableFuture<Void> queued = log.publishDurable(TestEvent::write, 0, 1L);
        long start = System.nanoTime();
        log.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 1_000, "close returns within shutdownTimeout=300ms even so: " + tookMs + " ms");
        assertFalse(inFlight.isDone(), "the outcome of the batch in flight is not close()'s to decide");

        sink.openForever(); // the call returns and its commit succeeds: that is the true outcome
        assertEquals(null, outcome(inFlight));
        assertInstanceOf(CancellationException.class, outcome(queued));
        sinkThread.get(0).join(10_000);
        assertEquals(1, sink.committed.get());
        assertEquals(new EventLog.Stats(2, 0, 1, 0, 1, 1, 0), log.stats());
    }

    @Test
    void aFailureCausedByCloseGivingUpIsNotBlamedOnTheEvents() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        Sink<TestEvent> sink = new Sink<>() {
            @Override
            public void add(TestEvent e) {
            }

            @Override
            public void flush() {
                entered.countDown();
                try {
                    new CountDownLatch(1).await(); // a wait only an interrupt ends
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted", e); // unchecked: "the events' fault" by default
                }
            }
        };
        EventLog<TestEvent> log = builder(sink).shutdownTimeout(Duration.ofMillis(300)).start();
        for (long i = 0; i < 5; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        log.close();
        assertEquals(new EventLog.Stats(5, 0, 0, 0, 5, 0, 0), log.stats(), "pending, not dead-lettered");
    }

    private static Throwable outcome(CompletableFuture<Void> f) throws Exception {
        return f.handle((ok, failure) -> failure).get(10, TimeUnit.SECONDS);
    }

    @Test
    void flushReturnsFalseWhenTheSinkDoesNotCommitInTime() throws Exception {
        GatedSink<TestEvent> sink = new GatedSink<>();
        EventLog<TestEvent> log = builder(sink).start();
        log.publish(TestEvent::write, 0, 0L);
        sink.awaitFlushEntered();
        assertFalse(log.flush(Duration.ofMillis(50)));
        sink.openForever();
        assertTrue(log.flush(Duration.ofSeconds(10)));
        log.close();
        assertEquals(1, sink.committed.get());
    }

    @Test
    void dropsWhenTheRingIsFullUnderDrop() throws Exception {
        GatedSink<TestEvent> sink = new GatedSink<>();
        EventLog<TestEvent> log = builder(sink).ringSize(64).maxBatchSize(64).start();
        log.publish(TestEvent::write, 0, 0L);
        sink.awaitFlushEntered(); // slot 0 is held until the gate opens
        int accepted = 0;
        for (long i = 1; i <= 100; i++) {
            accepted += log.publish(TestEvent::write, 0, i) ? 1 : 0;
        }
        assertEquals(63, accepted, "the ring holds 64 events");
        assertEquals(new EventLog.Stats(64, 37, 0, 0, 64, 0, 0), log.stats());
        sink.openForever();
        log.close();
        assertEquals(new EventLog.Stats(64, 37, 64, 0, 0, log.stats().batches(), 0), log.stats());
    }

    @Test
    void blockForWaitsThenDrops() throws Exception {
        GatedSink<TestEvent> sink = new GatedSink<>();
        EventLog<TestEvent> log = builder(sink).ringSize(64).overflow(OverflowPolicy.blockFor(Duration.ofMillis(20))).start();
        log.publish(TestEvent::write, 0, 0L);
        sink.awaitFlushEntered();
        for (long i = 1; i < 64; i++) {
            assertTrue(log.publish(TestEvent::write, 0, i));
        }
        long start = System.nanoTime();
        assertFalse(log.publish(TestEvent::write, 0, 64L));
        assertTrue(System.nanoTime() - start >= 20_000_000, "waited the bound before dropping");
        sink.openForever();
        log.close();
        assertEquals(new EventLog.Stats(64, 1, 64, 0, 0, log.stats().batches(), 0), log.stats());
    }

    @Test
    void aBlockedProducerIsReleasedByClose() throws Exception {
        GatedSink<TestEvent> sink = new GatedSink<>();
        EventLog<TestEvent> log = builder(sink).ringSize(64).overflow(OverflowPolicy.BLOCK)
                .shutdownTimeout(Duration.ofMillis(100)).start();
        for (long i = 0; i < 64; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        sink.awaitFlushEntered();
        CompletableFuture<Boolean> blocked = new CompletableFuture<>();
        Thread producer = new Thread(() -> blocked.complete(log.publish(TestEvent::write, 0, 64L)), "blocked-producer");
        producer.start();
        // The overflow wait parks with the log as its blocker once it has spun and yielded.
        Await.until(() -> LockSupport.getBlocker(producer) == log, "the producer waits for room");
        assertFalse(blocked.isDone());
        log.close();
        assertFalse(blocked.get(10, TimeUnit.SECONDS));
        sink.openForever();
    }

    @Test
    void publishingFromTheSinkThreadIntoAFullRingDropsInsteadOfDeadlocking() {
        AtomicLong written = new AtomicLong();
        AtomicLong refusedInside = new AtomicLong();
        @SuppressWarnings("unchecked")
        EventLog<TestEvent>[] self = new EventLog[1];
        Sink<TestEvent> loggingSink = new Sink<>() {
            @Override
            public void add(TestEvent e) {
                written.incrementAndGet();
                if (e.producer == 0) {
                    // A sink that logs about what it writes, through the same log: each event spawns two.
                    for (int k = 0; k < 2; k++) {
                        if (!self[0].publish(TestEvent::write, 1, e.index)) {
                            refusedInside.incrementAndGet();
                        }
                    }
                }
            }

            @Override
            public void flush() {
            }
        };
        self[0] = builder(loggingSink).ringSize(64).overflow(OverflowPolicy.BLOCK).start();
        for (long i = 0; i < 10_000; i++) {
            assertTrue(self[0].publish(TestEvent::write, 0, i));
        }
        self[0].close();
        EventLog.Stats stats = self[0].stats();
        assertTrue(refusedInside.get() > 0, "the ring filled up while the sink thread published: " + stats);
        assertEquals(refusedInside.get(), stats.dropped());
        assertEquals(30_000, stats.accepted() + stats.dropped());
        assertEquals(stats.accepted(), written.get());
        assertEquals(0, stats.pending());
    }

    @Test
    void closeBeforeTheSinkThreadStartsStillDrains() throws Exception {
        CountDownLatch letItStart = new CountDownLatch(1);
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = builder(sink).overflow(OverflowPolicy.BLOCK).threadFactory(r -> new Thread(() -> {
            try {
                letItStart.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            r.run();
        }, "late-sink")).start();
        for (long i = 0; i < 100; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(log::close);
        Await.until(log::isClosed, "close() has begun");
        assertFalse(closing.isDone(), "close() waits for a sink thread that has not started yet");
        letItStart.countDown();
        closing.get(10, TimeUnit.SECONDS);
        assertEquals(100, sink.committed.size());
        assertEquals(0, log.stats().pending());
    }

    @Test
    void namesTheSinkThreadAfterTheLog() {
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = builder(sink).name("audit").start();
        log.publish(TestEvent::write, 0, 0L);
        log.close();
        assertEquals("ringlog-audit-sink", sink.threads.get(0).getName());
        assertTrue(sink.threads.get(0).isDaemon());
    }
}
