package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void smoke() throws Exception {
        AtomicLong added = new AtomicLong();
        Sink<LogEvent> sink = new Sink<>() {
            public void add(LogEvent e) { added.incrementAndGet(); }
            public void flush() { }
        };
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).overflow(OverflowPolicy.BLOCK).start();
        for (int i = 0; i < 1_000_000; i++) {
            log.publish(LogEvent::set, "t", "a", "p");
        }
        System.out.println(log.flush(Duration.ofSeconds(5)) + " " + log.stats());
        log.close();
        System.out.println(log.stats());
        assertEquals(1_000_000, added.get());
    }
}
