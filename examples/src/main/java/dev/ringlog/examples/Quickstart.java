package dev.ringlog.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.jdbc.JdbcSink;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's quick start, runnable: several threads publish page views into an embedded H2
 * database through ringlog, then the accounting is printed and checked against the table.
 *
 * <pre>mvn -B -q -pl examples -am compile exec:java -Ddemo.main=dev.ringlog.examples.Quickstart</pre>
 *
 * Arguments: threads (default 4), events per thread (25,000), directory (a new temporary one).
 */
public final class Quickstart {

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 25_000;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("ringlog-quickstart");

        // tag::setup[]
        HikariDataSource db = JdbcSink.embeddedH2(dir).open();   // or your PostgreSQL / MariaDB pool
        JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(db).table("page_views").build();   // creates the table
        // end::setup[]

        // tag::quickstart[]
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink)
                .name("quickstart")
                .overflow(OverflowPolicy.BLOCK)   // default DROP: never wait on a request thread
                .start();
        // end::quickstart[]

        long start = System.nanoTime();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String actor = "user-" + t;
            Thread producer = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    // tag::publish[]
                    log.publish(LogEvent::set, "page_view", actor, "{\"path\":\"/home\"}");   // allocates nothing
                    // end::publish[]
                }
            });
            producers.add(producer);
            producer.start();
        }
        for (Thread producer : producers) {
            producer.join();
        }
        long publishedNanos = System.nanoTime() - start;
        // tag::close[]
        log.close();                          // writes what is left, within shutdownTimeout
        EventLog.Stats stats = log.stats();   // accepted == written + failed + pending; pending == 0 now
        // end::close[]
        long totalNanos = System.nanoTime() - start;

        long rows;
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM page_views")) {
            rs.next();
            rows = rs.getLong(1);
        }
        db.close();

        out.printf("%d threads x %,d events into %s%n", threads, perThread, dir);
        out.printf("published in %,d ms (%,.0f ns per event per thread); all committed after %,d ms%n",
                publishedNanos / 1_000_000, (double) publishedNanos / perThread, totalNanos / 1_000_000);
        out.printf("accepted %,d  dropped %,d  written %,d  failed %,d  pending %,d  (%,d batches)%n",
                stats.accepted(), stats.dropped(), stats.written(), stats.failed(), stats.pending(), stats.batches());
        out.printf("rows in page_views: %,d%n", rows);
        boolean accountedFor = stats.accepted() + stats.dropped() == (long) threads * perThread
                && stats.pending() == 0 && stats.written() == rows;
        out.println(accountedFor ? "every event accounted for" : "EVENTS UNACCOUNTED FOR");
        return accountedFor ? 0 : 1;
    }
}
