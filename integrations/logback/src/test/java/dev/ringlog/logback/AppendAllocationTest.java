package dev.ringlog.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.ringlog.testsupport.ThreadAllocation;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What the bridge adds per event on the logging thread, beyond what Logback allocates itself: the
 * bytes {@code append} allocates, measured by the JVM's per-thread allocation counter.
 */
class AppendAllocationTest {

    private static final int WARMUP = 20_000;
    private static final int MEASURED = 50_000;

    @TempDir
    Path dir;

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void resetLogback() {
        context.reset();
    }

    @Test
    void appendAllocatesNothingOnTheLoggingThread() throws Exception {
        RinglogAppender appender = LogbackConfig.start(context, "logback-ringlog-allocation.xml",
                Map.of("ringlog.test.dir", dir.toString()));

        MDC.put("request", "r-1");
        Logger logger = context.getLogger("test.allocation");
        LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, Level.INFO, "event {}", null, new Object[] {42});
        event.prepareForDeferredProcessing(); // Logback's own work (format, MDC snapshot, thread name): not the bridge's
        MDC.clear();

        double perEvent = ThreadAllocation.bytesPerCall(() -> appender.append(event), WARMUP, MEASURED);
        System.out.printf("ringlog-logback append: %.2f bytes/event on the logging thread (%d events, stats %s)%n",
                perEvent, MEASURED, appender.eventLog().stats());
        assertEquals(0, appender.eventLog().stats().dropped(), "every measured event accepted");
        assertTrue(perEvent < 8, () -> "append allocated " + perEvent + " bytes/event");
    }
}
