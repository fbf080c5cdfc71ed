package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code kill -9}: a child JVM ({@link JournalKillChild}) publishes to PostgreSQL with the journal on
 * and is killed with {@code Process.destroyForcibly()} at a random point, {@value #KILLS} times (cycling
 * through the three sync policies; {@code -Djournal.kills=N} for more); after each, a new log on the same
 * directory replays, and every event before the last mark the journal acknowledged is in the table
 * exactly once, and no event is there twice. The same child without a journal, for the record: how many
 * accepted events it loses (printed, not asserted: it depends on timing). Run under
 * {@code flock /tmp/ringlog-db.lock}.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class JournalKillTest {

    static final int KILLS = 20;
    private static final String[] SYNC = {"batch", "none", "50ms"};

    @TempDir
    Path tmp;

    @BeforeAll
    static void server() {
        TestServer.POSTGRES.assumeReachable();
    }

    /** What the child reported before it died. */
    record Progress(long accepted, long journalled) {
    }

    @Test
    void everyEventTheJournalAcknowledgedBeforeAKillIsInTheTableExactlyOnce() throws Exception {
        int kills = Integer.getInteger("journal.kills", KILLS);
        String table = "journal_kill_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        List<String> lines = new ArrayList<>();
        try (HikariDataSource pool = TestServer.POSTGRES.pool(table)) {
            long replayedInAll = 0;
            long lostAcceptedWithJournal = 0;
            long acceptedWithJournal = 0;
            for (int run = 0; run < kills; run++) {
                String sync = SYNC[run % SYNC.length];
                Path dir = tmp.resolve("run-" + run);
                String actor = "run-" + run;
                Progress p = runAndKill(table, actor, dir.toString(), sync, randomTarget());
                assertTrue(p.journalled() >= 0, "the child reported a journalled mark before the kill: " + p);
                // A new log on the same directory: replays what the child's sink had not committed.
                EventLog<LogEvent> log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(pool).table(table).build())
                        .name("kill-replay").journal(dir).shutdownHook(false).jmx(false).start();
                long replayed = log.journalStats().replayed();
                assertTrue(log.flush(Duration.ofSeconds(30)));
                log.close();
                replayedInAll += replayed;
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    long[] upToMark = counts(s, table, actor, p.journalled());
                    assertEquals(p.journalled() + 1, upToMark[0], actor + " (" + sync + "): events 0.." + p.journalled()
                            + " acknowledged by the journal before the kill are in the table");
                    assertEquals(upToMark[0], upToMark[1], actor + ": each exactly once");
                    long[] all = counts(s, table, actor, Long.MAX_VALUE);
                    assertEquals(all[0], all[1], actor + ": no event twice, acknowledged or not");
                    long[] accepted = counts(s, table, actor, p.accepted());
                    lostAcceptedWithJournal += p.accepted() + 1 - accepted[0];
                    acceptedWithJournal += p.accepted() + 1;
                    lines.add(String.format("  %s sync=%-5s accepted %6d, journal-acknowledged %6d, replayed %5d, rows %6d",
                            actor, sync, p.accepted() + 1, p.journalled() + 1, replayed, all[0]));
                }
            }
            long lostWithout = 0;
            long acceptedWithout = 0;
            for (int run = 0; run < 3; run++) {
                String actor = "nojournal-" + run;
                Progress p = runAndKill(table, actor, "-", "-", randomTarget());
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    long[] accepted = counts(s, table, actor, p.accepted());
                    lostWithout += p.accepted() + 1 - accepted[0];
                    acceptedWithout += p.accepted() + 1;
                }
            }
            System.out.println("JournalKillTest: " + kills + " kills with the journal:");
            lines.forEach(System.out::println);
            System.out.printf("JournalKillTest: with the journal, %d replayed in all; 0 journal-acknowledged events lost"
                            + " (asserted); %d of %d accepted-but-not-yet-acknowledged events lost (the ring-to-journal window)%n",
                    replayedInAll, lostAcceptedWithJournal, acceptedWithJournal);
            System.out.printf("JournalKillTest: without the journal (3 kills, for the record): %d of %d accepted events lost%n",
                    lostWithout, acceptedWithout);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    private static long randomTarget() {
        return ThreadLocalRandom.current().nextLong(2_000, 40_000);
    }

    /** Rows of {@code actor}'s numbered events up to {@code last}: count, and count of distinct numbers. */
    private static long[] counts(Statement s, String table, String actor, long last) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT payload) FROM " + table + " WHERE type = 'kill'"
                + " AND actor = '" + actor + "' AND CAST(payload AS BIGINT) <= " + last)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /**
     * Starts the child, kills it with SIGKILL once it reports {@code target} accepted events (and, with a
     * journal, an acknowledged mark), returns what it reported.
     */
    private Progress runAndKill(String table, String actor, String journalDir, String sync, long target) throws Exception {
        File stderr = tmp.resolve(actor + ".stderr").toFile();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), JournalKillChild.class.getName(),
                table, actor, journalDir, sync)
                .redirectError(stderr).start();
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.add(line);
                }
            } catch (Exception e) {
                // the child died: the stream ends
            }
            out.add("EOF");
        }, "child-stdout");
        reader.start();
        long accepted = -1;
        long journalled = -1;
        try {
            // Past the target and, with a journal, past its first acknowledgement: a kill then always has
            // something the journal promised.
            while (accepted < target || (!"-".equals(journalDir) && journalled < 0)) {
                String line = out.poll(60, TimeUnit.SECONDS);
                assertNotNull(line, () -> actor + ": the child said nothing for 60 s; stderr: " + read(stderr));
                assertTrue(!line.equals("EOF"), () -> actor + ": the child exited early; stderr: " + read(stderr));
                if (line.startsWith("accepted ")) {
                    accepted = Long.parseLong(line.substring(9));
                } else if (line.startsWith("journalled ")) {
                    journalled = Math.max(journalled, Long.parseLong(line.substring(11)));
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child exits");
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
        // What the child printed before it died counts: it said so before the kill landed.
        for (String line; (line = out.poll()) != null; ) {
            if (line.startsWith("accepted ")) {
                accepted = Math.max(accepted, Long.parseLong(line.substring(9)));
            } else if (line.startsWith("journalled ")) {
                journalled = Math.max(journalled, Long.parseLong(line.substring(11)));
            }
        }
        return new Progress(accepted, journalled);
    }

    private static String read(File f) {
        try {
            return Files.readString(f.toPath());
        } catch (Exception e) {
            return "(unreadable)";
        }
    }
}
