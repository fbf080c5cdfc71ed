package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The publish path allocates nothing once compiled: measured with the JVM's per-thread allocation
 * counter over a million publishes of a {@link LogEvent} with a method reference.
 *
 * <p>The measurement runs in a JVM of its own: in the test JVM, the other tests' writers and the sync
 * log make the JIT's profile of {@code publish} whatever they left, and whether escape analysis
 * removes {@code LogEvent.set}'s {@code Instant} then depends on the order the tests ran in.
 */
class PublishAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long publishAll(EventLog<LogEvent> log, String type, String actor, String payload) {
        long accepted = 0;
        for (int i = 0; i < 1_000_000; i++) {
            accepted += log.publish(LogEvent::set, type, actor, payload) ? 1 : 0;
        }
        return accepted;
    }

    /**
     * In the child JVM: prints the fewest bytes the publishing thread allocated in a round of a million
     * publishes; with the argument {@code several}, into a log of three sinks with a filter and sampling.
     */
    public static void main(String[] args) {
        Sink<LogEvent> discard = new Sink<>() {
            @Override
            public void add(LogEvent event) {
            }

            @Override
            public void flush() {
            }
        };
        EventLog<LogEvent> log = args.length > 0 && args[0].equals("several")
                ? EventLog.<LogEvent>builder(LogEvent::new).shutdownHook(false).sample("page_view", 0.5)
                        .sink("db", discard, s -> s.filter(e -> e.actor().endsWith("2")))
                        .sink("archive", discard, s -> s.sampleBy(LogEvent::actor).sample("page_view", 0.1))
                        .sink("all", discard, s -> s.sample("page_view", 1)).start()
                : EventLog.builder(LogEvent::new, discard).shutdownHook(false).start();
        String type = "page_view";
        String actor = "user-42";
        String payload = "{\"path\":\"/home\"}";
        long threadId = Thread.currentThread().getId();
        long best = Long.MAX_VALUE;
        // Warm up until the JIT has compiled the path, then take the best of the rounds: a round can
        // include a compilation or a TLAB refill.
        for (int round = 0; round < 12; round++) {
            long before = THREADS.getThreadAllocatedBytes(threadId);
            publishAll(log, type, actor, payload);
            best = Math.min(best, THREADS.getThreadAllocatedBytes(threadId) - before);
            if (round >= 3 && best < 100_000) {
                break;
            }
        }
        log.close();
        System.out.println("allocated=" + best);
    }

    @Test
    void publishAllocatesNothing() throws IOException, InterruptedException {
        assertAllocatesNothing();
    }

    @Test
    void publishAllocatesNothingWithSeveralSinksFiltersAndSampling() throws IOException, InterruptedException {
        assertAllocatesNothing("several");
    }

    private static void assertAllocatesNothing(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PublishAllocationTest.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, child.exitValue(), output);
        long allocated = Long.parseLong(output.substring(output.lastIndexOf("allocated=") + "allocated=".length()).trim());
        // Under 0.1 byte a publish: nothing but the odd JVM-internal allocation of the whole round.
        assertTrue(allocated < 100_000, "bytes allocated by a million publishes: " + allocated);
    }
}
