package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Every counter agrees with an independent count at every moment, checked by a thread that samples
 * them while producers publish into a sink that fails, retries and rejects events: accepted against
 * what the producers saw accepted, written against what the sink committed, failed against what the
 * dead-letter handler received; after close, pending is zero by those counts too.
 */
@Timeout(120)
class AccountingTest {

    @Test
    void everyEventIsAccountedForAtEveryMomentAndExactlyAfterClose() throws Exception {
        AtomicLong deadLettered = new AtomicLong();
        FlakySink flaky = new FlakySink(9_973, 50);
        AtomicLong sinkCommitted = flaky.committed;
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, flaky).name("accounting").ringSize(4096)
                .retry(RetryPolicy.backoff(Duration.ofNanos(1_000), Duration.ofNanos(10_000)))
                .deadLetters((e, cause) -> deadLettered.incrementAndGet()).shutdownHook(false).start();

        AtomicBoolean done = new AtomicBoolean();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong samples = new AtomicLong();
        AtomicLong producersAccepted = new AtomicLong();
        CompletableFuture<Void> monitor = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                long acceptedBefore = producersAccepted.get();
                EventLog.Stats s = log.stats();
                long committedAfter = sinkCommitted.get();
                long deadLetteredAfter = deadLettered.get();
                samples.incrementAndGet();
                // Each counter is bounded by a count kept outside the log: accepted cannot lag what the
                // producers were told, written and failed cannot run ahead of the sink and the handler.
                if (s.pending() < 0 || s.accepted() < acceptedBefore || s.written() > committedAfter
                        || s.failed() > deadLetteredAfter) {
                    violations.add(s + " producers saw " + acceptedBefore + " accepted, sink committed " + committedAfter
                            + ", handler got " + deadLetteredAfter);
                }
            }
        }, runnable -> new Thread(runnable, "monitor").start());

        List<CompletableFuture<Long>> producers = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int producer = p;
            producers.add(CompletableFuture.supplyAsync(() -> {
                long refused = 0;
                for (long i = 0; i < 1_000_000; i++) {
                    if (log.publish(TestEvent::write, producer, i)) {
                        producersAccepted.incrementAndGet();
                    } else {
                        refused++;
                    }
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
        assertEquals(producersAccepted.get(), s.accepted());
        assertEquals(sinkCommitted.get(), s.written());
        assertEquals(deadLettered.get(), s.failed());
        assertEquals(0, s.pending());
        assertEquals(0, producersAccepted.get() - sinkCommitted.get() - deadLettered.get(), "nothing pending by the outside counts");
        assertTrue(s.failed() > 0 && s.retries() > 0, s.toString());
    }
}
