package dev.ringlog.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Boot application whose JVM exits with events pending (the database slowed by a trigger) writes
 * them all: Boot's shutdown hook closes the context, which closes the log before its pool. (With the
 * log's own JVM hook draining while Boot's hook closed the pool, the hooks raced and events were lost.)
 */
class JvmExitTest {

    @TempDir
    Path directory;

    @Test
    void eventsPendingAtJvmExitAreAllWritten() throws Exception {
        // H2's own exit hook (DB_CLOSE_ON_EXIT, on by default) would close the database concurrently with
        // Boot's hook: a third racer, not the one this test is about (once, 299 of 300 rows were written).
        String url = "jdbc:h2:file:" + directory.resolve("shop") + ";DB_CLOSE_ON_EXIT=FALSE";
        ShutdownTest.slowTable(url, "boot_exit");
        Path out = directory.resolve("child.out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ExitingApp.class.getName(),
                Integer.toString(ShutdownTest.EVENTS), "--spring.datasource.url=" + url, "--ringlog.table=boot_exit",
                "--ringlog.max-batch-size=20", "--ringlog.shutdown-timeout=20s", "--spring.main.banner-mode=off")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the child JVM did not exit within 90 s");
        String output = Files.readString(out);
        assertEquals(0, child.exitValue(), output);
        Matcher pending = Pattern.compile("pending=(\\d+)").matcher(output);
        assertTrue(pending.find(), output);
        assertTrue(Long.parseLong(pending.group(1)) > ShutdownTest.EVENTS / 2, output);
        assertEquals(ShutdownTest.EVENTS, ShutdownTest.rows(url, "boot_exit"), output);
    }
}
