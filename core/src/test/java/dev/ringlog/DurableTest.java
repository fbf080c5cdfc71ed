package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** publishDurable: the future says when the sink has committed the event, and never runs callbacks on the sink thread. */
@Timeout(60)
class DurableTest {

    private static Throwable outcome(CompletableFuture<Void> f) throws Exception {
        return f.handle((ok, failure) -> failure).get(10, TimeUnit.SECONDS);
    }

    @Test
    void completesOnlyAfterTheBatchIsCommitted() throws Exception {
        GatedSink<TestEvent> sink = new GatedSink<>();
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).shutdownHook(false).start();
        CompletableFuture<Void> done = log.publishDurable(TestEvent::write, 0, 1L);
        sink.awaitFlushEntered();
        assertFalse(done.isDone(), "not before the flush returns");
        sink.gate.release();
        done.get(10, TimeUnit.SECONDS);
        assertEquals(1, sink.committed.get());
        sink.openForever();
        log.close();
    }

    @Test
    void completesOffTheSinkThreadForEveryOneOfManyConcurrentCallers() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).overflow(OverflowPolicy.BLOCK)
                .shutdownHook(false).start();
        List<CompletableFuture<Thread>> callbacks = new ArrayList<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int producer = t;
            all.add(CompletableFuture.runAsync(() -> {
                for (long i = 0; i < 2_000; i++) {
                    CompletableFuture<Thread> callback = log.publishDurable(TestEvent::write, producer, i)
                            .thenApply(ok -> Thread.currentThread());
                    synchronized (callbacks) {
                        callbacks.add(callback);
                    }
                }
            }, runnable -> new Thread(runnable).start()));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        for (CompletableFuture<Thread> callback : callbacks) {
            assertNotSame(sink.threads.get(0), callback.get(10, TimeUnit.SECONDS));
        }
        log.close();
        assertEquals(8_000, sink.committed.size());
        assertEquals(8_000, log.stats().written());
    }

    @Test
    void failsWithTheSinkCauseWhenDeadLettered() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        IllegalArgumentException rejected = new IllegalArgumentException("rejected");
        sink.beforeAdd = e -> {
            if (e.index == 1) {
                throw rejected;
            }
        };
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).deadLetters((e, c) -> { })
                .shutdownHook(false).start();
        CompletableFuture<Void> good = log.publishDurable(TestEvent::write, 0, 0L);
        CompletableFuture<Void> bad = log.publishDurable(TestEvent::write, 0, 1L);
        assertEquals(null, outcome(good));
        assertSame(rejected, outcome(bad));
        log.close();
    }

    @Test
    void failsWithRejectedExecutionWhenDropped() throws Exception {
        GatedSink<TestEvent> sink = new GatedSink<>();
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).ringSize(64).shutdownHook(false).start();
        log.publish(TestEvent::write, 0, 0L);
        sink.awaitFlushEntered();
        for (long i = 1; i < 64; i++) {
            log.publish(TestEvent::write, 0, i);
        }
        assertInstanceOf(RejectedExecutionException.class, outcome(log.publishDurable(TestEvent::write, 0, 64L)));
        sink.openForever();
        log.close();
        assertEquals(1, log.stats().dropped());
    }

    @Test
    void wakesAnIdleSinkThreadSoTheAcknowledgementIsPrompt() throws Exception {
        RecordingSink<TestEvent, TestEvent.Copy> sink = RecordingSink.ofTestEvents();
        List<Thread> sinkThread = new ArrayList<>();
        EventLog.Builder<TestEvent> builder = EventLog.builder(TestEvent::new, sink).shutdownHook(false).threadFactory(r -> {
            Thread t = new Thread(r, "idle-sink");
            sinkThread.add(t);
            return t;
        });
        // An idle sink thread that would sleep for an hour: only the wake-up can make the acknowledgement prompt.
        builder.settings().minIdleParkNanos = TimeUnit.HOURS.toNanos(1);
        builder.settings().maxIdleParkNanos = TimeUnit.HOURS.toNanos(1);
        builder.settings().idleTickNanos = TimeUnit.HOURS.toNanos(2);
        EventLog<TestEvent> log = builder.start();
        Await.until(() -> java.util.concurrent.locks.LockSupport.getBlocker(sinkThread.get(0)) instanceof IdleWaitStrategy,
                "the sink thread is parked idle");
        assertEquals(null, log.publishDurable(TestEvent::write, 0, 0L).handle((ok, f) -> f).get(10, TimeUnit.SECONDS));
        assertEquals(1, log.stats().written());
        log.close();
    }
}
