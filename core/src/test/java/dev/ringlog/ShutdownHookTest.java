package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A JVM that exits without closing its log still writes every event: the shutdown hook closes it. */
@Timeout(60)
class ShutdownHookTest {

    /** Run in a child JVM: publishes events held back by a long linger, then exits without close(). */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        boolean hook = Boolean.parseBoolean(args[1]);
        EventLog<TestEvent> log = EventLog.builder(TestEvent::new, new Sink<TestEvent>() {
            private final List<String> batch = new ArrayList<>();

            @Override
            public void add(TestEvent e) {
                batch.add(Long.toString(e.index));
            }

            @Override
            public void flush() throws IOException {
                Files.write(file, batch, java.nio.file.StandardOpenOption.APPEND);
                batch.clear();
            }
        }).linger(Duration.ofMinutes(1)).shutdownHook(hook).start();
        for (long i = 0; i < 500; i++) { // fewer than maxBatchSize: the batch waits for linger
            log.publish(TestEvent::write, 0, i);
        }
        System.exit(0);
    }

    private static long linesWrittenByAChildJvm(Path dir, boolean hook) throws Exception {
        Path file = Files.createFile(dir.resolve("events-" + hook + ".txt"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ShutdownHookTest.class.getName(), file.toString(),
                Boolean.toString(hook)).inheritIO().start();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not exit");
        }
        assertEquals(0, child.exitValue());
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    @Test
    void theShutdownHookWritesEveryEventOfALogThatWasNotClosed(@TempDir Path dir) throws Exception {
        assertEquals(500, linesWrittenByAChildJvm(dir, true));
    }

    @Test
    void withoutTheHookTheLingeringEventsAreLost(@TempDir Path dir) throws Exception {
        assertEquals(0, linesWrittenByAChildJvm(dir, false), "the control case: proves the test above can fail");
    }
}
