package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/** Under DROP no failure of the sink, of any kind, makes a publish wait: a full ring is a false return. */
@Timeout(60)
class DropNeverBlocksTest {

    private static final long BOUND_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    @ParameterizedTest
    @ValueSource(strings = {"down", "hung", "rejecting"})
    void publishReturnsPromptlyWhateverTheSinkDoes(String fault) throws Exception {
        GatedSink<TestEvent> hung = new GatedSink<>();
        RecordingSink<TestEvent, TestEvent.Copy> failing = RecordingSink.ofTestEvents();
        switch (fault) {
            case "down" -> failing.beforeFlush = b -> {
                throw new IOException("database down");
            };
            case "rejecting" -> failing.beforeAdd = e -> {
                throw new IllegalArgumentException("rejected");
            };
            default -> { }
        }
        Sink<TestEvent> sink = fault.equals("hung") ? hung : failing;
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, sink).ringSize(64).overflow(OverflowPolicy.DROP)
                .retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(10))).deadLetters((e, c) -> { })
                .shutdownTimeout(Duration.ofMillis(200)).shutdownHook(false).start();
        List<CompletableFuture<long[]>> producers = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int producer = p;
            producers.add(CompletableFuture.supplyAsync(() -> {
                long accepted = 0;
                long slowest = 0;
                for (long i = 0; i < 200_000; i++) {
                    long start = System.nanoTime();
                    accepted += log.publish(TestEvent::write, producer, i) ? 1 : 0;
                    slowest = Math.max(slowest, System.nanoTime() - start);
                }
                return new long[] {accepted, slowest};
            }, r -> new Thread(r, "producer-" + producer).start()));
        }
        long accepted = 0;
        for (CompletableFuture<long[]> f : producers) {
            long[] r = f.get(30, TimeUnit.SECONDS);
            accepted += r[0];
            // A bound far above a publish (a GC pause or a descheduled thread on 2 cores) and far below
            // any wait for the sink: a backoff, a hung flush or the shutdown timeout.
            assertTrue(r[1] < BOUND_NANOS, fault + ": the slowest publish took " + r[1] / 1_000 + " us");
        }
        EventLog.Stats stats = log.stats();
        assertEquals(600_000, stats.accepted() + stats.dropped(), stats.toString());
        assertEquals(accepted, stats.accepted(), stats.toString());
        hung.openForever();
        log.close();
    }
}
