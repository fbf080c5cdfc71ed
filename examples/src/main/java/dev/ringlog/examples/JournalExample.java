package dev.ringlog.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.SyncPolicy;
import dev.ringlog.jdbc.JdbcSink;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A log with a journal: every event is on local disk (synced) before the sink sees it, and
 * {@code publishDurable} completes on the journal's sync, so an acknowledged event survives a
 * {@code kill -9} or a power loss even while the database is slow or down; a log started again on the
 * same directory replays what the last one had not committed.
 *
 * <pre>mvn -B -q -pl examples -am compile exec:java -Ddemo.main=dev.ringlog.examples.JournalExample</pre>
 *
 * Options: {@code --dir PATH} (default {@code ringlog-data}): the database file and the journal directory.
 */
public final class JournalExample {

    private JournalExample() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        Path dir = Path.of(args.length == 2 && args[0].equals("--dir") ? args[1] : "ringlog-data");
        Path journalDir = dir.resolve("journal");
        try (HikariDataSource db = JdbcSink.embeddedH2(dir).open()) {
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(db).table("payments").build();
            // tag::journal[]
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink)
                    .name("payments")
                    .journal(journalDir, SyncPolicy.PER_BATCH)   // on local disk, synced, before the sink sees it
                    .durableAck(EventLog.DurableAck.JOURNAL)     // publishDurable completes on the journal's sync
                    .start();                                    // first replays what a killed process left uncommitted

            log.publishDurable(LogEvent::set, "payment", "user-7", "{\"cents\":1200}").join();   // survives kill -9 and power loss
            // end::journal[]
            for (int i = 0; i < 99; i++) {
                log.publish(LogEvent::set, "payment", "user-" + i, "{\"cents\":" + i + "}");
            }
            log.close();
            out.println("replayed at start: " + log.journalStats().replayed() + "; " + log.stats());
            out.println("journal: " + log.journalStats());
            return log.stats().written() == log.stats().accepted() ? 0 : 1;
        }
    }
}
