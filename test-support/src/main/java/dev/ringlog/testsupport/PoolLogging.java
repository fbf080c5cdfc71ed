package dev.ringlog.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.EventLog;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The druid case (alibaba/druid#5414), for a logging appender that writes through a pool: the pool's and the
 * drivers' own threads log into the appender while its ring is full and blocks the application's threads.
 */
public final class PoolLogging {

    private PoolLogging() {
    }

    /**
     * Locks the appender's H2 database (its inserts wait), lets {@code producer} fill the ring on its own thread
     * (overflow=block: it then waits for room), and checks, while the ring is full, that a thread logging as each
     * of {@code poolLoggers} returns within 2 s and that the pool's housekeeper keeps logging (three more of the
     * appender's own events dropped); then unlocks the database and waits until the producer is done and the log
     * flushed.
     *
     * @param h2 a statement on the database the appender writes to, not the appender's
     * @param droppedOwnEvents the appender's count of the events it drops because its pool or drivers logged them
     * @param logAs logs one warning as the named logger, on the calling thread, as the pool and the drivers do
     */
    public static void whileTheRingIsFull(EventLog<?> log, Statement h2, LongSupplier droppedOwnEvents, Runnable producer,
            List<String> poolLoggers, Consumer<String> logAs) throws Exception {
        CompletableFuture<Void> producing;
        h2.execute("SET EXCLUSIVE 1"); // the sink's statements now wait: the ring fills up
        try {
            producing = CompletableFuture.runAsync(producer, runnable -> new Thread(runnable, "producer").start());
            Await.until(() -> log.ringRemaining() == 0, "the ring is full");
            for (String name : poolLoggers) {
                CompletableFuture.runAsync(() -> logAs.accept(name), runnable -> new Thread(runnable, "pool-like").start())
                        .get(2, TimeUnit.SECONDS);
            }
            // HikariCP's housekeeper (every 200 ms in these tests) logs the pool state at DEBUG, into the appender.
            long own = droppedOwnEvents.getAsLong();
            Await.until(() -> droppedOwnEvents.getAsLong() >= own + 3, "the pool's housekeeper keeps logging");
            assertTrue(!producing.isDone(), "the producer is blocked by the full ring");
        } finally {
            h2.execute("SET EXCLUSIVE 0");
        }
        producing.get(60, TimeUnit.SECONDS);
        assertTrue(log.flush(Duration.ofSeconds(30)), "flushed");
    }
}
