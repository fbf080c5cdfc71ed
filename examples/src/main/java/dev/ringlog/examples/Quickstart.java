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
 * The quick start with a measurement: several threads publish page views into an embedded H2
 * database through ringlog, the time a publish took on the producer threads is printed, then the
 * accounting is checked against the table. The events fit in the ring (4 x 10,000 in 65,536 slots), so
 * a publish never waits for the database: what is printed is the cost of the call itself.
 *
 * <pre>mvn -B -q -pl examples -am compile exec:java -Ddemo.main=dev.ringlog.examples.Quickstart</pre>
 *
 * Arguments: threads (default 4), events per thread (10,000), directory (a new temporary one).
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
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("ringlog-quickstart");

        HikariDataSource db = JdbcSink.embeddedH2(dir).open();   // or your PostgreSQL / MariaDB pool
        JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(db).table("page_views").build();   // creates the table

        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink)
                .name("quickstart")
                .overflow(OverflowPolicy.BLOCK)   // default DROP: never wait on a request thread
                .start();

        long start = System.nanoTime();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String actor = "user-" + t;
            Thread producer = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                                log.publish(LogEvent::set, "page_view", actor, "{\"path\":\"/home\"}");   // allocates nothing
                            }
            });
            producers.add(producer);
            producer.start();
        }
        for (Thread producer : producers) {
            producer.join();
        }
        long publishedNanos = System.nanoTime() - start;
        log.close();                          // writes what is left, within shutdownTimeout
        EventLog.Stats stats = log.stats();   // accepted == written + failed + pending; pending == 0 now
        long totalNanos = System.nanoTime() - start;

        long rows;
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM page_views")) {
            rs.next();
            rows = rs.getLong(1);
        }
        db.close();

        out.printf("%d threads x %,d events into %s%n", threads, perThread, dir);
        // With more producer threads than cores a thread's wall time includes waiting for a core: the
        // per-publish figure is an upper bound (JMH's PublishBenchmark measures the call alone).
        out.printf("published in %,d ms: at most %,.0f ns per publish on each thread%s; all committed after %,d ms%n",
                publishedNanos / 1_000_000, (double) publishedNanos / perThread,
                (long) threads * perThread > 65_536 ? " (more events than ring slots: publishes waited for the database)" : "",
                totalNanos / 1_000_000);
        out.printf("accepted %,d  dropped %,d  written %,d  failed %,d  pending %,d  (%,d batches)%n",
                stats.accepted(), stats.dropped(), stats.written(), stats.failed(), stats.pending(), stats.batches());
        out.printf("rows in page_views: %,d%n", rows);
        boolean accountedFor = stats.accepted() + stats.dropped() == (long) threads * perThread
                && stats.pending() == 0 && stats.written() == rows;
        out.println(accountedFor ? "every event accounted for" : "EVENTS UNACCOUNTED FOR");
        return accountedFor ? 0 : 1;
    }
}
