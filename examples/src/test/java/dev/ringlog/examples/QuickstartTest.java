package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the quickstart with small counts so that it never rots. */
class QuickstartTest {

    @Test
    void accountsForEveryEvent() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Quickstart.main(new String[] {"3", "10000"});
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("accepted 30,000  dropped 0  written 30,000  failed 0  pending 0"), text);
        assertTrue(text.contains("every event accounted for"), text);
    }
}
