package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * accepted == written + failed + pending at every moment, checked by a thread that samples the
 * counters while producers publish into a sink that drops, retries and rejects events.
 */
@Timeout(120)
class AccountingTest {

    @Test
    void everyEventIsAccountedForAtEveryMomentAndExactlyAfterClose() throws Exception {
        AtomicLong sinkCommitted = new AtomicLong();
        AtomicLong deadLettered = new AtomicLong();
        Sink<TestEvent> flaky = new Sink<>() {
            private long batch;
            private long flushes;

            @Override
            public void add(TestEvent e) {
                if (e.index % 9_973 == 0) {
                    batch = 0;
                    throw new IllegalArgumentException("rejected " + e.index);
                }
                batch++;
            }

            @Override
            public void flush() throws IOException {
                if (++flushes % 50 == 0) {
                    batch = 0;
                    throw new IOException("connection lost");
                }
                sinkCommitted.addAndGet(batch);
                batch = 0;
            }
        };
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, flaky).name("accounting").ringSize(4096)
                .retry(RetryPolicy.backoff(Duration.ofNanos(1_000), Duration.ofNanos(10_000)))
                .deadLetters((e, cause) -> deadLettered.incrementAndGet()).shutdownHook(false).start();

        AtomicBoolean done = new AtomicBoolean();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong samples = new AtomicLong();
        CompletableFuture<Void> monitor = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                EventLog.Stats s = log.stats();
                long committedSoFar = sinkCommitted.get();
                samples.incrementAndGet();
                if (s.pending() < 0 || s.accepted() != s.written() + s.failed() + s.pending()
                        || s.written() > committedSoFar) {
                    violations.add(s + " sink committed " + committedSoFar);
                }
            }
        }, runnable -> new Thread(runnable, "monitor").start());

        List<CompletableFuture<Long>> producers = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int producer = p;
            producers.add(CompletableFuture.supplyAsync(() -> {
                long refused = 0;
                for (long i = 0; i < 1_000_000; i++) {
                    refused += log.publish(TestEvent::write, producer, i) ? 0 : 1;
                }
                return refused;
            }, runnable -> new Thread(runnable).start()));
        }
        long refused = 0;
        for (CompletableFuture<Long> f : producers) {
            refused += f.get();
        }
        log.close();
        done.set(true);
        monitor.get();

        assertEquals(List.of(), violations.subList(0, Math.min(5, violations.size())));
        assertTrue(samples.get() > 100, "the monitor sampled while events moved: " + samples.get());
        EventLog.Stats s = log.stats();
        assertEquals(3_000_000, s.accepted() + s.dropped());
        assertEquals(refused, s.dropped());
        assertEquals(0, s.pending());
        assertEquals(s.accepted(), s.written() + s.failed());
        assertEquals(sinkCommitted.get(), s.written());
        assertEquals(deadLettered.get(), s.failed());
        assertTrue(s.failed() > 0 && s.retries() > 0, s.toString());
    }
}
