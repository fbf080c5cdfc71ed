package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.RetryPolicy;
import dev.ringlog.testsupport.TestDatabases;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default on a disk that fills up: a small tmpfs mounted for the test (needs root; skipped
 * with a message otherwise, failed instead when {@code RINGLOG_REQUIRE_DB=1}).
 */
class H2FullDiskTest {

    @TempDir
    Path directory;

    @Test
    @Timeout(120)
    void countsNothingWrittenThatIsNotInTheFileAndWritesEverythingOnceSpaceIsBack() throws Exception {
        Path disk = Files.createDirectory(directory.resolve("disk"));
        mountTmpfs(disk, "16m");
        try (HikariDataSource db = JdbcSink.embeddedH2(disk).open()) {
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(db).build())
                    .overflow(OverflowPolicy.BLOCK).retry(RetryPolicy.backoff(Duration.ofMillis(5), Duration.ofMillis(100)))
                    .shutdownHook(false).shutdownTimeout(Duration.ofSeconds(5)).start();
            try {
                String payload = "{\"path\":\"/products/12345\",\"referrer\":\"https://example.com/search?q=ringlog\"}";
                publish(log, 0, 2_000, payload);
                assertTrue(log.flush(Duration.ofSeconds(30)), log.stats()::toString);

                Path filler = disk.resolve("filler");
                fill(filler);
                publish(log, 2_000, 30_000, payload);
                for (int look = 1; look <= 3; look++) {
                    assertFalse(log.flush(Duration.ofMillis(700)), "the disk is full, yet everything was written: " + log.stats());
                    long written = log.stats().written();
                    long rows = rowsInACopyOf(disk.resolve("ringlog.mv.db"));
                    assertTrue(rows >= written, "counted written while the disk was full: " + written + ", rows in the file: " + rows);
                }

                Files.delete(filler);
                assertTrue(log.flush(Duration.ofSeconds(30)), "not all written 30 s after the space came back: " + log.stats());
                EventLog.Stats stats = log.stats();
                assertEquals(30_000, stats.accepted());
                assertEquals(30_000, stats.written(), stats::toString);
                assertEquals(0, stats.failed(), stats::toString);
                try (Connection c = db.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM " + JdbcSink.DEFAULT_TABLE)) {
                    rs.next();
                    assertEquals(30_000, rs.getLong(1), "rows");
                    assertEquals(30_000, rs.getLong(2), "distinct ids");
                }
            } finally {
                log.close();
            }
        } finally {
            umount(disk);
        }
    }

    private static void publish(EventLog<LogEvent> log, int from, int to, String payload) {
        for (int i = from; i < to; i++) {
            assertTrue(log.publish(LogEvent::set, "page_view", "user-" + i, payload));
        }
    }

    /** Writes zeros into {@code filler} until the file system has no space left. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException noSpaceLeft) {
            assertTrue(Files.getFileStore(filler).getUsableSpace() < block.length, "not full: " + noSpaceLeft);
        }
    }

    /**
     * Counts the rows in a copy of the file: what is on the disk, not what the open database holds in
     * memory. A file that does not hold the table yet holds no rows.
     */
    private long rowsInACopyOf(Path file) throws IOException, SQLException {
        Path copy = Files.createDirectories(directory.resolve("copy-" + System.nanoTime()));
        Files.copy(file, copy.resolve("ringlog.mv.db"));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("ringlog") + ";IFEXISTS=TRUE", "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'RINGLOG_EVENTS')")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return 0;
            }
            try (ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM " + JdbcSink.DEFAULT_TABLE)) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void mountTmpfs(Path dir, String size) throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        if (!mount.waitFor(10, TimeUnit.SECONDS) || mount.exitValue() != 0) {
            String message = "cannot mount a tmpfs to fill (needs root): " + output.trim();
            if (TestDatabases.REQUIRED) {
                Assertions.fail(message + " and RINGLOG_REQUIRE_DB=1");
            }
            Assumptions.abort(message + ": skipped; set RINGLOG_REQUIRE_DB=1 to fail instead");
        }
    }

    private static void umount(Path dir) throws Exception {
        Process umount = new ProcessBuilder("umount", dir.toString()).inheritIO().start();
        assertTrue(umount.waitFor(10, TimeUnit.SECONDS) && umount.exitValue() == 0, "umount " + dir);
    }
}
