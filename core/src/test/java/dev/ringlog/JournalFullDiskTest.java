package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A journal on a disk that fills: a 512 KiB tmpfs mounted for the test (root only; skipped with a
 * message otherwise), filled by a file. Writes fail and are retried, the sink gets nothing it has not
 * journalled, the ring fills and the overflow policy drops ({@code JOURNAL_FULL}); once the file is
 * deleted the journal resumes and every accepted event is written, and nothing partial is replayed.
 */
@Timeout(120)
class JournalFullDiskTest {

    @Test
    void aFullDiskHoldsEventsBackUntilSpaceComesBackThenWritesEveryAcceptedEvent() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: mounting a small tmpfs for the full-disk journal test needs root");
        Path mount = Files.createTempDirectory("ringlog-journal-disk");
        run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount.toString());
        EventLog<LogEvent> log = null;
        try {
            Path dir = mount.resolve("journal");
            RecordingSink<LogEvent, JournalTest.Row> sink = JournalTest.recording();
            log = EventLog.builder(LogEvent::new, sink).ringSize(64).journal(dir, SyncPolicy.PER_BATCH)
                    .overflow(OverflowPolicy.DROP).shutdownHook(false).jmx(false).start();
            int accepted = 0;
            EventLog<LogEvent> running = log;
            for (int i = 0; i < 10; i++) {
                accepted += log.publish(LogEvent::set, "t", "a", "before-" + i) ? 1 : 0;
            }
            assertTrue(log.flush(Duration.ofSeconds(10)));
            Path filler = mount.resolve("filler");
            fill(filler);
            String payload = "y".repeat(2_000);
            for (int i = 0; i < 200; i++) {
                accepted += log.publish(LogEvent::set, "t", "a", payload) ? 1 : 0;
            }
            Await.until(() -> running.journalStats().writeFailures() > 0, "a journal write failed on the full disk");
            AtomicInteger more = new AtomicInteger();
            Await.until(() -> {
                if (running.publish(LogEvent::set, "t", "a", payload)) {
                    more.incrementAndGet();
                }
                return running.dropped(DropReason.JOURNAL_FULL) > 0;
            }, "the ring fills behind the journal, and a publish is refused as JOURNAL_FULL");
            accepted += more.get();
            assertEquals(10, sink.committed.size(), "the sink got nothing the journal could not write");
            Files.delete(filler);
            assertTrue(log.flush(Duration.ofSeconds(30)), "the journal resumes once space comes back");
            log.close();
            assertEquals(accepted, sink.committed.size(), "every accepted event is written");
            assertEquals(accepted, log.stats().written());

            RecordingSink<LogEvent, JournalTest.Row> next = JournalTest.recording();
            EventLog<LogEvent> again = EventLog.builder(LogEvent::new, next).journal(dir).shutdownHook(false).jmx(false).start();
            again.close();
            assertEquals(0, again.journalStats().replayed());
            assertEquals(0, again.journalStats().cut() + again.journalStats().damaged(), "no partial record left behind");
        } finally {
            if (log != null) {
                log.close(); // idempotent: releases the journal's files if an assertion failed first
            }
            // -l: detach even if something still holds a file there, so the mount never outlives the test
            run("umount", "-l", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    private static void fill(Path file) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // the disk is full
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
