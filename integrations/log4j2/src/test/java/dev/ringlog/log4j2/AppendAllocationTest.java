package dev.ringlog.log4j2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.testsupport.ThreadAllocation;
import java.net.URI;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.apache.logging.log4j.util.StringMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the bridge adds per event on the logging thread, beyond what Log4j2 allocates itself: the bytes
 * {@code append} allocates, measured by the JVM's per-thread allocation counter.
 */
class AppendAllocationTest {

    private static final int WARMUP = 20_000;
    private static final int MEASURED = 50_000;

    @TempDir
    Path dir;

    private LoggerContext context;

    @AfterEach
    void stopLog4j() {
        context.stop();
    }

    @Test
    void appendCopiesOnlyTheContextData() throws Exception {
        System.setProperty("ringlog.test.dir", dir.toString());
        URI config = getClass().getResource("/log4j2-ringlog-allocation.xml").toURI();
        context = new LoggerContext("ringlog-allocation", null, config);
        context.start();
        RinglogAppender appender = context.getConfiguration().getAppender("DB");

        ParameterizedMessage message = new ParameterizedMessage("event {}", 42);
        message.getFormattedMessage(); // formatted once: the framework's cost, cached by the message
        LogEvent plain = Log4jLogEvent.newBuilder().setLoggerName("test.allocation").setLevel(Level.INFO)
                .setMessage(message).build();
        StringMap data = ContextDataFactory.createContextData();
        data.putValue("request", "r-1");
        data.putValue("user", "u-1");
        LogEvent withContext = Log4jLogEvent.newBuilder().setLoggerName("test.allocation").setLevel(Level.INFO)
                .setMessage(message).setContextData(data).build();

        double plainBytes = ThreadAllocation.bytesPerCall(() -> appender.append(plain), WARMUP, MEASURED);
        double contextBytes = ThreadAllocation.bytesPerCall(() -> appender.append(withContext), WARMUP, MEASURED);
        System.out.printf("ringlog-log4j2 append: %.2f bytes/event without context data, %.2f with 2 entries%n",
                plainBytes, contextBytes);
        assertEquals(0, appender.eventLog().stats().dropped(), "every measured event accepted");
        assertTrue(plainBytes < 8, () -> "append allocated " + plainBytes + " bytes/event without context data");
        assertTrue(contextBytes < 512, () -> "append allocated " + contextBytes + " bytes/event with context data");
    }
}
