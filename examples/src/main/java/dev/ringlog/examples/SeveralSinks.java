package dev.ringlog.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.SinkView;
import dev.ringlog.jdbc.JdbcSink;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;

/**
 * One ring, two sinks, each with its own thread, batching and events: warnings and errors to an
 * {@code alerts} table in small batches at once; everything to an {@code events} table in large batches,
 * with page views sampled to a tenth of the visitors (by actor: a visitor's page views are kept or left
 * out together). Prints each sink's counts and checks them against the tables.
 *
 * <pre>mvn -B -q -pl examples -am compile exec:java -Ddemo.main=dev.ringlog.examples.SeveralSinks</pre>
 *
 * Options: {@code --views N} (default 20,000), {@code --dir PATH}.
 */
public final class SeveralSinks {

    private SeveralSinks() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out) throws Exception {
        int views = 20_000;
        Path dir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--views" -> views = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + ": --views N, --dir PATH");
            }
        }
        if (dir == null) {
            dir = Files.createTempDirectory("ringlog-several-sinks");
        }
        try (HikariDataSource db = JdbcSink.embeddedH2(dir).open()) {
            JdbcSink<LogEvent> alertTable = JdbcSink.forLogEvents(db).table("alerts").build();
            JdbcSink<LogEvent> eventTable = JdbcSink.forLogEvents(db).table("events").build();
            // tag::severalSinks[]
            Set<String> alerts = Set.of("warning", "error");
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new)
                    .name("shop")
                    .sink("alerts", alertTable, s -> s
                            .filter(e -> alerts.contains(e.type()))   // on this sink's thread
                            .maxBatchSize(100))
                    .sink("events", eventTable, s -> s
                            .sample("page_view", 0.1)                  // a tenth of the page views...
                            .sampleBy(LogEvent::actor)                 // ...by visitor: all of a visitor's, or none
                            .maxBatchSize(5_000)
                            .linger(Duration.ofMillis(200)))
                    .start();

            log.publish(LogEvent::set, "error", "checkout", "{\"code\":502}");     // to both tables
            log.publish(LogEvent::set, "page_view", "user-7", "{\"path\":\"/\"}");  // to events, if user-7 is sampled
            // end::severalSinks[]
            for (int i = 0; i < views; i++) {
                log.publish(LogEvent::set, "page_view", "user-" + i % 1_000, "{\"path\":\"/p/" + i % 50 + "\"}");
                if (i % 200 == 0) {
                    log.publish(LogEvent::set, "warning", "stock", "{\"item\":" + i + "}");
                }
            }
            log.close();

            // tag::sinkStats[]
            for (SinkView sink : log.sinks()) {
                out.println(sink.name() + ": " + sink.stats());  // accepted == written + failed + filtered + sampledOut + pending
            }
            out.println(log.stats());   // per event, once every sink has resolved it
            // end::sinkStats[]
            boolean ok = true;
            for (SinkView sink : log.sinks()) {
                long rows = count(db, sink.name());
                EventLog.SinkStats s = sink.stats();
                out.printf("%-7s %,7d rows  %s%n", sink.name(), rows, s);
                ok &= rows == s.written() && s.pending() == 0 && s.failed() == 0;
            }
            out.println("log     " + log.stats());
            out.println(ok ? "every sink's rows equal its written count" : "MISMATCH between rows and counts");
            return ok ? 0 : 1;
        }
    }

    private static long count(HikariDataSource db, String table) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }
}
