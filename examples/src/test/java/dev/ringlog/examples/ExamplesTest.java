package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example with small counts on a real H2 file database, so that none of them rots. */
@Timeout(120)
class ExamplesTest {

    private interface Example {
        int run(String[] args, PrintStream out) throws Exception;
    }

    private static String run(Example example, int expectedStatus, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = example.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedStatus, status, output);
        return output;
    }

    @Test
    void severalSinksWritesAlertsToOneTableAndASampleOfEverythingToTheOther(@TempDir Path dir) throws Exception {
        String out = run(SeveralSinks::run, 0, "--views", "4000", "--dir", dir.toString());
        assertTrue(out.contains("every sink's rows equal its written count"), out);
        // 1 error + 20 warnings (every 200th of 4,000 views) in alerts; the 4,002 others filtered there.
        assertTrue(out.contains("alerts       21 rows  SinkStats[accepted=4022, written=21, failed=0, filtered=4001, sampledOut=0, pending=0"), out);
        Matcher events = Pattern.compile("events +([\\d,]+) rows  SinkStats\\[accepted=4022, written=(\\d+), failed=0, filtered=0,"
                + " sampledOut=(\\d+), pending=0").matcher(out);
        assertTrue(events.find(), out);
        long written = Long.parseLong(events.group(2));
        assertEquals(4022, written + Long.parseLong(events.group(3)));
        assertTrue(written >= 21 && written < 1_500, "every alert and about a tenth of the views: " + written);
    }

    @Test
    void pageViewDemoAccountsForEveryRequestAndReadsTheTopPagesBack(@TempDir Path dir) throws Exception {
        String out = run(PageViewDemo::run, 0, "--requests", "400", "--clients", "4", "--commit-latency", "5ms",
                "--dir", dir.toString());
        assertTrue(out.contains("every event accounted for"), out);
        for (String system : new String[] {"synchronous insert", "ringlog"}) {
            Matcher row = Pattern.compile(system + " +[\\d,]+ +[\\d.]+ +[\\d.]+ +[\\d.]+ +[\\d,.]+ +[\\d,.]+ +400 +0 +0 +0")
                    .matcher(out);
            assertTrue(row.find(), system + " row with 400 written, none dropped, failed or pending:\n" + out);
        }
        assertTrue(out.contains("/page/1 "), "the most viewed page is read back:\n" + out);
    }

    @Test
    void pageViewDemoPrintsItsOptionsForHelpAndWritesNoCarriageReturnsIntoAPipe(@TempDir Path dir) throws Exception {
        String help = run(PageViewDemo::run, 0, "--help");
        for (String option : new String[] {"--requests", "--clients", "--commit-latency", "--dir", "--metrics-port"}) {
            assertTrue(help.contains(option), help);
        }
        String out = run(PageViewDemo::run, 0, "--requests", "100", "--clients", "2", "--dir", dir.toString());
        assertFalse(out.contains("\r"), "a log or a pipe gets whole lines only:\n" + out);
        // The command it prints reads the rows back, as a person would run it after the demo.
        Matcher shell = Pattern.compile("java -cp (\\S+) org.h2.tools.Shell -url \"([^\"]+)\" -user sa -password \"\" -sql \"([^\"]+)\"")
                .matcher(out);
        assertTrue(shell.find(), out);
        Process h2 = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                shell.group(1), "org.h2.tools.Shell", "-url", shell.group(2), "-user", "sa", "-password", "",
                "-sql", shell.group(3)).redirectErrorStream(true).start();
        String rows = new String(h2.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, h2.waitFor(), rows);
        assertTrue(rows.contains("100"), "the shell reads the 100 rows the demo wrote through ringlog:\n" + rows);
    }

    @Test
    void pageViewDemoRejectsAnUnknownOption() throws Exception {
        String out = run(PageViewDemo::run, 2, "--request", "10");
        assertTrue(out.contains("unknown option --request"), out);
        out = run(PageViewDemo::run, 2, "--commit-latency", "slow");
        assertTrue(out.contains("--commit-latency must be a duration like 85ms or 2s: --commit-latency=slow"), out);
    }

    @Test
    void auditExampleAcknowledgesEveryRecordWithFewerCommits(@TempDir Path dir) throws Exception {
        String out = run(AuditExample::run, 0, "--threads", "4", "--events", "50", "--dir", dir.toString());
        assertTrue(out.contains("every record acknowledged and committed"), out);
        assertTrue(Pattern.compile("synchronous commit +200 +200 ").matcher(out).find(), out);
        Matcher ring = Pattern.compile("ringlog publishDurable +200 +([\\d,]+) ").matcher(out);
        assertTrue(ring.find(), out);
        assertTrue(Integer.parseInt(ring.group(1).replace(",", "")) < 200, "group commit: fewer commits than records\n" + out);
    }

    @Test
    void customEventExampleWritesTypedRowsAndDeadLettersTheInvalidOrder(@TempDir Path dir) throws Exception {
        String out = run(CustomEventExample::run, 0, "--orders", "60000", "--dir", dir.toString());
        assertTrue(out.contains("60,000 orders published: 59,999 written"), out);
        assertTrue(out.contains("1 rejected (dead-lettered), 0 dropped"), out);
        assertTrue(out.contains("rejected order 50000: Check constraint violation"), out);
        assertTrue(out.contains("every order accounted for"), out);
    }

    @Test
    void journalExampleWritesEveryEventThroughTheJournal(@TempDir Path dir) throws Exception {
        String out = run(JournalExample::run, 0, "--dir", dir.toString());
        assertTrue(out.contains("replayed at start: 0; Stats[accepted=100, dropped=0, written=100, failed=0, pending=0"), out);
        assertTrue(Pattern.compile("JournalStats\\[records=100, bytes=0, syncs=[1-9]").matcher(out).find(), out);
    }

    @Test
    void theReadmesEmbeddedSetUpWritesToAnEncryptedFile(@TempDir Path dir) {
        assertEquals(1, DatabaseSetup.embedded(dir, "file-secret".toCharArray(), "user-secret".toCharArray()));
    }
}
