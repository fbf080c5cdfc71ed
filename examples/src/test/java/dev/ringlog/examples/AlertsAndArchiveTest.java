package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the seeds' layout against the PostgreSQL server when it answers (and it must when
 * {@code RINGLOG_REQUIRE_DB=1}, as in CI), else against the example's H2 fallback; twice on the same
 * directory and key, so that the second run reads the saved key and counts only its own rows and files.
 */
@Timeout(120)
class AlertsAndArchiveTest {

    private static final Pattern READ_COMMAND = Pattern.compile(
            "read the archive: java -cp (\\S+) dev\\.ringlog\\.file\\.FileLogReader --key-file (\\S+) (.+)");

    @Test
    void warningsAndErrorsReachTheTableAndEveryEventTheEncryptedArchive(@TempDir Path dir) throws Exception {
        for (int run = 1; run <= 2; run++) {
            String out = run("--events", "10000", "--table", "seeds_alerts", "--dir", dir.toString());
            if ("1".equals(System.getenv("RINGLOG_REQUIRE_DB"))) {
                assertFalse(out.contains("PostgreSQL does not answer"), "RINGLOG_REQUIRE_DB=1 but the example fell back to H2:\n" + out);
            }
            assertEquals(run == 1, out.contains("new AES-256 key saved to " + dir.resolve("archive.key")), out);
            assertFalse(out.contains(Files.readString(dir.resolve("archive.key")).strip()), "the key is never printed:\n" + out);
            // Of i in [0, 10000): every 100th an error, the other 20ths warnings, the other 3rds API calls.
            assertTrue(out.contains("published 10,000 events: {api_call=3167, error=100, page_view=6333, warn=400}"), out);
            assertTrue(out.contains("this run's rows by type: {error=100, warn=400}"), out);
            assertTrue(Pattern.compile("archive: [12] files, 10,000 lines").matcher(out).find(), "one file per UTC day:\n" + out);
            assertTrue(out.contains("every warning and error in the table, every event in the archive"), out);
            assertEquals(10_000, readWithThePrintedCommand(out), out);
        }
    }

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = AlertsAndArchive.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, output);
        return output;
    }

    /** Runs the FileLogReader command the example printed, as a person would; returns the lines it printed. */
    private static long readWithThePrintedCommand(String out) throws Exception {
        Matcher command = READ_COMMAND.matcher(out);
        assertTrue(command.find(), out);
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", command.group(1), "dev.ringlog.file.FileLogReader", "--key-file", command.group(2)));
        argv.addAll(List.of(command.group(3).split(" ")));
        Path stderr = Files.createTempFile("ringlog-reader", ".err");
        try {
            Process reader = new ProcessBuilder(argv).redirectError(stderr.toFile()).start();
            long lines;
            try (var stdout = reader.inputReader(StandardCharsets.UTF_8)) {
                lines = stdout.lines().count();
            }
            assertTrue(reader.waitFor(60, TimeUnit.SECONDS), "FileLogReader did not exit");
            assertEquals(0, reader.exitValue(), Files.readString(stderr));
            assertTrue(Files.readString(stderr).contains("encrypted"), Files.readString(stderr));
            return lines;
        } finally {
            Files.delete(stderr);
        }
    }
}
