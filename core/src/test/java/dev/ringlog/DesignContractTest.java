package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The public API contract of DESIGN.md, written as it is there: if a name changes, this stops compiling. */
class DesignContractTest {

    static final class MyEvent {
        long x;
    }

    @Test
    void theContractCompilesAndRunsAsWritten() throws Exception {
        Sink<Object> sink = new Sink<>() {
            @Override
            public void add(Object event) {
            }

            @Override
            public void flush() {
            }
        };
        EventLog<MyEvent> log = EventLog.builder(MyEvent::new, sink)   // Supplier<? extends E>, Sink<? super E>
                .name("analytics")
                .ringSize(65_536)                    // power of two
                .maxBatchSize(1_000)                 // 1..ringSize
                .linger(Duration.ZERO)               // 0: flush at the end of every Disruptor batch
                .overflow(OverflowPolicy.DROP)       // DROP | BLOCK | OverflowPolicy.blockFor(Duration)
                .retry(RetryPolicy.backoff(Duration.ofMillis(10), Duration.ofSeconds(30)))
                .deadLetters((event, cause) -> { })  // DeadLetterHandler<? super E>
                .shutdownTimeout(Duration.ofSeconds(30))
                .configure(Map.of("ringlog.name", "analytics"))
                .shutdownHook(false)
                .start();
        long a = 42;
        boolean accepted = log.publish((e, arg) -> e.x = arg, a);
        assertTrue(accepted);

        EventLog<LogEvent> events = EventLog.builder(LogEvent::new, sink).overflow(OverflowPolicy.blockFor(Duration.ofSeconds(1)))
                .shutdownHook(false).start();
        String type = "audit";
        String actor = "u1";
        String payload = "{}";
        accepted = events.publish(LogEvent::set, type, actor, payload);
        assertTrue(accepted);
        CompletableFuture<Void> done = events.publishDurable(e -> e.set("audit", "u1", "{}"));
        done.get(10, TimeUnit.SECONDS);
        boolean drained = events.flush(Duration.ofSeconds(5));
        assertTrue(drained);
        EventLog.Stats s = events.stats();
        assertEquals(new EventLog.Stats(2, 0, 2, 0, 0, s.batches(), 0), s);
        assertEquals(s.accepted(), s.written() + s.failed() + s.pending());
        log.close();
        events.close();
        events.close();
    }

    @Test
    void logEventCarriesIdTimeAndFields() throws Exception {
        java.util.List<LogEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Sink<LogEvent> sink = new Sink<>() {
            @Override
            public void add(LogEvent e) {
                LogEvent copy = new LogEvent();
                copy.set(e.type(), e.actor(), e.payload());
                copy.timestamp(e.timestamp());
                copy.id(e.id());
                seen.add(copy);
            }

            @Override
            public void flush() {
            }
        };
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).shutdownHook(false).start();
        long before = System.currentTimeMillis() * 1_000;
        log.publish(LogEvent::set, "page_view", "user-1", "{\"path\":\"/\"}");
        log.publish(LogEvent::set, "page_view", "user-2", null);
        log.close();
        long after = System.currentTimeMillis() * 1_000 + 1_000;
        assertEquals(2, seen.size());
        LogEvent first = seen.get(0);
        assertEquals("page_view", first.type());
        assertEquals("user-1", first.actor());
        assertEquals("{\"path\":\"/\"}", first.payload());
        assertTrue(first.timestamp() >= before && first.timestamp() <= after, "microseconds since the epoch");
        assertEquals(first.id() + 1, seen.get(1).id(), "ids are a per-log base plus the sequence");
    }
}
