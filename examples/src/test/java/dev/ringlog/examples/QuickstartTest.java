package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the quick start with small counts so that it never rots. */
class QuickstartTest {

    @Test
    void writesEveryEventToTheTable(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status = Quickstart.run(new String[] {"3", "10000", dir.toString()},
                new PrintStream(captured, true, StandardCharsets.UTF_8));
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("accepted 30,000  dropped 0  written 30,000  failed 0  pending 0"), text);
        assertTrue(text.contains("rows in page_views: 30,000"), text);
    }
}
