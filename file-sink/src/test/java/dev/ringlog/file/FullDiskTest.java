package dev.ringlog.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.RetryPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills while the log writes: a 2 MiB tmpfs mounted for the test (needs root; skipped with
 * a message otherwise, failed instead when {@code RINGLOG_REQUIRE_DB=1}, as CI runs it). The sink's
 * writes fail part-way through frames; it retries, nothing is dead-lettered, and once space is back
 * every event is in its file exactly once and the files read clean: no torn frame before good ones.
 * Every batch spans midnight, so a failure can hit one file after the other took its frame: both are
 * cut back.
 */
class FullDiskTest {

    private static final String PAYLOAD = "{\"path\":\"/products/12345\",\"referrer\":\"https://example.com/search?q=ringlog\"}";

    @TempDir
    Path directory;

    @Test
    @Timeout(120)
    void retriesWhileTheDiskIsFullAndWritesEverythingOnceWhenSpaceIsBack() throws Exception {
        Path disk = Files.createDirectory(directory.resolve("disk"));
        mountTmpfs(disk, "2m");
        try {
            SecretKey key = Archive.newKey();
            FileSink<LogEvent> sink = FileSink.forLogEvents(disk).prefix("api").encrypt(key).fsyncEachBatch(true).build();
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("full-disk").maxBatchSize(500)
                    .overflow(OverflowPolicy.BLOCK).retry(RetryPolicy.backoff(Duration.ofMillis(2), Duration.ofMillis(50)))
                    .shutdownHook(false).shutdownTimeout(Duration.ofSeconds(10)).start();
            Path filler = disk.resolve("filler");
            try {
                publish(log, 0, 1_000);
                assertTrue(log.flush(Duration.ofSeconds(30)), log.stats()::toString);

                // Fill the disk while a producer publishes, then leave a few pages: frames get cut part-way.
                Thread producer = new Thread(() -> publish(log, 1_000, 5_000), "full-disk-producer");
                producer.start();
                fill(filler);
                producer.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(producer.isAlive(), "the producer is blocked: " + log.stats());
                try (FileChannel f = FileChannel.open(filler, StandardOpenOption.WRITE)) {
                    f.truncate(f.size() - 12 * 1024);
                }
                publish(log, 5_000, 7_000); // ~1 MB more than the disk can take now

                long retriesBefore = log.stats().retries();
                for (int look = 0; look < 3; look++) {
                    assertFalse(log.flush(Duration.ofMillis(300)), "the disk is full, yet everything was written: " + log.stats());
                    assertEquals(0, log.stats().failed(), "dead-lettered for the disk's fault: " + log.stats());
                }
                assertTrue(log.stats().retries() > retriesBefore, "the sink retries while the disk is full: " + log.stats());
                // Meanwhile the file holds complete frames and at most a torn last one, never damage before good frames.
                for (Path f : Archive.files(disk)) {
                    if (!f.equals(filler)) {
                        FileLogReader.Report meanwhile = Archive.read(f, key).report();
                        assertFalse(meanwhile.tampered(), meanwhile::toString);
                    }
                }

                Files.delete(filler);
                assertTrue(log.flush(Duration.ofSeconds(30)), "not all written 30 s after the space came back: " + log.stats());
            } finally {
                log.close();
            }
            EventLog.Stats stats = log.stats();
            assertEquals(7_000, stats.accepted(), stats::toString);
            assertEquals(7_000, stats.written(), stats::toString);
            assertEquals(0, stats.failed(), stats::toString);

            List<Path> files = Archive.files(disk);
            assertEquals(List.of(disk.resolve("api-2026-12-01.jsonl.enc"), disk.resolve("api-2026-12-02.jsonl.enc")), files);
            List<String> lines = new java.util.ArrayList<>(Archive.readClean(files.get(0), key));
            assertEquals(3_500, lines.size(), "the even events, before midnight");
            lines.addAll(Archive.readClean(files.get(1), key));
            assertEquals(7_000, lines.size(), "every event once");
            long[] actors = lines.stream().mapToLong(l -> Long.parseLong(l.substring(l.indexOf("\"actor\":\"u") + 10,
                    l.indexOf("\",\"payload\"")))).sorted().toArray();
            for (int i = 0; i < actors.length; i++) {
                if (actors[i] != i) {
                    assertEquals(i, actors[i], "events 0..6999 once each: " + Arrays.toString(Arrays.copyOf(actors, 10)) + "...");
                }
            }
        } finally {
            umount(disk);
        }
    }

    private static void publish(EventLog<LogEvent> log, int from, int to) {
        for (int i = from; i < to; i++) {
            assertTrue(log.publish(FullDiskTest::stamp, "u" + i));
        }
    }

    /** Even events before midnight, odd ones after: every batch writes a frame to each of two files. */
    private static void stamp(LogEvent e, String actor) {
        e.set("page_view", actor, PAYLOAD);
        e.timestamp(actor.charAt(actor.length() - 1) % 2 == 0 ? Archive.BEFORE_MIDNIGHT : Archive.MIDNIGHT + 1);
    }

    /** Writes into {@code filler} until the file system has no space left. */
    private static void fill(Path filler) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(16 * 1024);
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                block.clear();
                out.write(block);
            }
        } catch (IOException noSpaceLeft) {
            assertTrue(noSpaceLeft.getMessage() != null && noSpaceLeft.getMessage().contains("No space left"), noSpaceLeft::toString);
        }
    }

    private static void mountTmpfs(Path dir, String size) throws Exception {
        String output;
        boolean mounted;
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            output = new String(mount.getInputStream().readAllBytes()).trim();
            mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
        } catch (IOException noMount) {
            output = noMount.toString();
            mounted = false;
        }
        if (!mounted) {
            String message = "cannot mount a tmpfs to fill (needs root): " + output;
            if ("1".equals(System.getenv("RINGLOG_REQUIRE_DB"))) {
                Assertions.fail(message + " and RINGLOG_REQUIRE_DB=1");
            }
            Assumptions.abort(message + ": FullDiskTest skipped; run as root, or set RINGLOG_REQUIRE_DB=1 to fail instead");
        }
    }

    private static void umount(Path dir) throws Exception {
        Process umount = new ProcessBuilder("umount", dir.toString()).inheritIO().start();
        assertTrue(umount.waitFor(10, TimeUnit.SECONDS) && umount.exitValue() == 0, "umount " + dir);
    }
}
