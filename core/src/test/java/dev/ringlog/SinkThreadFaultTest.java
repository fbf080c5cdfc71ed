package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Faults of the sink thread's own machinery: callbacks, logging, a dying thread, interrupts. */
@Timeout(60)
class SinkThreadFaultTest {

    private final RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
    private final List<Thread> sinkThread = new ArrayList<>();
    private EventLog<TestEvent> log;

    private EventLog.Builder<TestEvent> builder() {
        return EventLog.builder(TestEvent::new, sink).name("faults").shutdownHook(false).threadFactory(r -> {
            Thread t = new Thread(r, "faults-sink");
            t.setDaemon(true);
            sinkThread.add(t);
            return t;
        });
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void aCallbackExecutorThatThrowsNeitherRedeliversACommittedBatchNorRunsCallbacksOnTheSinkThread() throws Exception {
        log = builder().callbackExecutor(task -> {
            throw new IllegalStateException("executor broken");
        }).start();
        List<CompletableFuture<Thread>> callbacks = new ArrayList<>();
        for (long i = 0; i < 100; i++) {
            callbacks.add(log.publishDurable(TestEvent::write, 0, i).thenApply(ok -> Thread.currentThread()));
        }
        for (CompletableFuture<Thread> callback : callbacks) {
            assertNotSame(sinkThread.get(0), callback.get(10, TimeUnit.SECONDS), "never on the sink thread");
        }
        assertTrue(log.flush(Duration.ofSeconds(10)));
        assertEquals(100, sink.committed.size(), "each event committed once: " + sink.committed.size());
        assertEquals(100, new HashSet<>(sink.committed).size());
        assertEquals(new EventLog.Stats(100, 0, 100, 0, 0, log.stats().batches(), 0), log.stats());
    }

    @Test
    void callbacksRejectedByTheExecutorStillRunOffTheSinkThread() throws Exception {
        log = builder().callbackExecutor(task -> {
            throw new RejectedExecutionException("shut down");
        }).start();
        Thread ran = log.publishDurable(TestEvent::write, 0, 0L).thenApply(ok -> Thread.currentThread()).get(10, TimeUnit.SECONDS);
        assertNotSame(sinkThread.get(0), ran);
    }

    @Test
    void producersWaitingForRoomGiveUpWhenTheSinkThreadDies() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        GatedSink<TestEvent> gated = new GatedSink<>();
        log = EventLog.builder(TestEvent::new, gated).shutdownHook(false).ringSize(64).overflow(OverflowPolicy.BLOCK)
                .linger(Duration.ofMillis(1)).ticker(() -> {
                    if (broken.get()) {
                        throw new Error("the JVM is in trouble"); // nothing in the sink thread catches it
                    }
                    return System.nanoTime();
                }).start();
        log.publish(TestEvent::write, 0, 0L);
        gated.awaitFlushEntered();
        CompletableFuture<Long> producer = CompletableFuture.supplyAsync(() -> {
            long accepted = 0;
            while (log.publish(TestEvent::write, 0, accepted + 1)) {
                accepted++;
            }
            return accepted;
        }, r -> new Thread(r, "producer").start());
        broken.set(true);
        gated.openForever();
        long accepted = producer.get(10, TimeUnit.SECONDS); // before the fix: blocked until close()
        assertTrue(accepted >= 63, "filled the ring first: " + accepted);
        assertFalse(log.isClosed());
        assertTrue(log.publishDurable(TestEvent::write, 0, -1L).isCompletedExceptionally(), "a dead log refuses durable events");
    }

    @Test
    void anInterruptedIdleSinkThreadDoesNotSpin() throws Exception {
        log = builder().start();
        assertTrue(log.publishDurable(TestEvent::write, 0, 0L).handle((ok, f) -> f == null).get(10, TimeUnit.SECONDS));
        assertCpuStaysLowAfterInterrupting(sinkThread.get(0));
    }

    @Test
    void anInterruptedSinkThreadDoesNotSpinWhileItBacksOff() throws Exception {
        sink.beforeFlush = batch -> {
            throw new IOException("database down");
        };
        log = builder().retry(RetryPolicy.backoff(Duration.ofSeconds(5), Duration.ofSeconds(5))).shutdownTimeout(Duration.ofMillis(100)).start();
        log.publish(TestEvent::write, 0, 0L);
        Await.until(() -> log.stats().retries() == 1, "the sink thread backs off");
        assertCpuStaysLowAfterInterrupting(sinkThread.get(0));
    }

    /** A thread that parks uses almost no CPU; one whose parks return at once (interrupt flag set) uses a core. */
    private static void assertCpuStaysLowAfterInterrupting(Thread t) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        t.interrupt();
        long cpuBefore = threads.getThreadCpuTime(t.getId());
        LockSupport.parkNanos(300_000_000L); // a measurement window, not a wait for an event
        long cpuMs = (threads.getThreadCpuTime(t.getId()) - cpuBefore) / 1_000_000;
        assertTrue(cpuMs < 60, "the sink thread used " + cpuMs + " ms of CPU in 300 ms after an interrupt");
    }
}
