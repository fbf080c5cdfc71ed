package dev.ringlog.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.jdbc.EmbeddedH2;
import dev.ringlog.jdbc.JdbcSink;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The main demo: a web server logs a {@code page_view} event for every request, first with a
 * synchronous insert on the request thread, then through ringlog, into an embedded H2 file database.
 * Prints requests per second, request latency, events written and dropped, and the five most viewed
 * pages read back from the database. Exits non-zero if any event is unaccounted for. Serves ringlog's
 * meters ({@code RinglogMetrics}) at {@code /metrics} while it runs, and prints the URL first.
 *
 * <pre>
 * mvn -B -q -pl examples -am compile exec:java                                       # the real H2 file
 * mvn -B -q -pl examples -am compile exec:java -Dexec.args="--commit-latency 85ms"   # the slow cloud disk
 * </pre>
 *
 * Options: {@code --requests N} (default 4000), {@code --clients N} (16), {@code --commit-latency D}
 * (0: none added to the real H2 file; {@code 85ms} makes every commit take 85 ms longer, as on the
 * story's cloud VM), {@code --dir PATH} (where the database file goes; default a new temporary directory),
 * {@code --metrics-port N} (where ringlog's meters are served in the Prometheus text format while the demo
 * runs, {@code http://127.0.0.1:N/metrics}; default 0, a free port, printed at the start).
 */
public final class PageViewDemo {

    static final String USAGE = """
            usage: PageViewDemo [options]   (mvn -B -q -pl examples -am compile exec:java -Dexec.args="...")
              --requests N        requests sent in each phase (default 4000)
              --clients N         concurrent HTTP clients (default 16)
              --commit-latency D  added to every commit of the database, e.g. 85ms for the story's cloud disk (default 0)
              --dir PATH          where the H2 database file goes (default: a new temporary directory)
              --metrics-port N    where ringlog's meters are served as Prometheus text at /metrics (default 0: a free port)
              --help              this text""";

    private static final String SYNC_TABLE = "page_views_sync";
    private static final String RINGLOG_TABLE = "page_views_ringlog";

    private PageViewDemo() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the demo; returns the exit status: 0 if every event is accounted for, 1 if not, 2 for bad options. */
    static int run(String[] args, PrintStream out) throws Exception {
        int requests = 4_000;
        int clients = 16;
        Duration commitLatency = Duration.ZERO;
        Path dir = null;
        int metricsPort = 0;
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return 0;
        }
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                String value = i + 1 < args.length ? args[++i] : "";
                switch (option) {
                    case "--requests" -> requests = positive(option, value);
                    case "--clients" -> clients = positive(option, value);
                    case "--commit-latency" -> commitLatency = Durations.parse(option, value);
                    case "--dir" -> dir = Path.of(value);
                    case "--metrics-port" -> metricsPort = port(option, value);
                    default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
                }
            }
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }
        if (dir == null) {
            dir = Files.createTempDirectory("ringlog-demo");
        }
        out.printf("ringlog page-view demo: %,d requests from %d clients to a web server with %d threads;%n",
                requests, clients, LoadRun.SERVER_THREADS);
        out.printf("each request logs a page_view event into an H2 file database in %s%s%n%n", dir,
                commitLatency.isZero() ? "" : ", every commit taking " + commitLatency.toMillis() + " ms longer");

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EmbeddedH2 embedded = JdbcSink.embeddedH2(dir).name("demo").maximumPoolSize(LoadRun.SERVER_THREADS + 2);
        try (MetricsEndpoint metrics = new MetricsEndpoint(registry, metricsPort); HikariDataSource h2 = embedded.open()) {
            out.printf("ringlog's meters, in the Prometheus text format, while the demo runs: %s%n%n", metrics.url());
            DataSource db = new SlowCommits(h2, commitLatency).dataSource;
            LoadRun load = new LoadRun(requests, clients, out);
            warmUp(clients, out);
            List<LoadRun.Result> results = new ArrayList<>();
            try (PageViews sync = new PageViews.SyncInsert(db, SYNC_TABLE)) {
                results.add(load.run("synchronous insert", sync));
            }
            try (PageViews ringlog = new PageViews.RingLog(db, RINGLOG_TABLE, registry)) {
                results.add(load.run("ringlog", ringlog));
            }
            printTable(results, out);
            boolean accounted = checkAccounting(results.get(0), rows(h2, SYNC_TABLE), out)
                    & checkAccounting(results.get(1), rows(h2, RINGLOG_TABLE), out);
            printTopPages(h2, out);
            printWhereTheDataIs(embedded, out);
            out.println(accounted ? "\nevery event accounted for" : "\nEVENTS UNACCOUNTED FOR");
            return accounted ? 0 : 1;
        }
    }

    /** Lets the JIT compile the web server and client before either measured run. */
    private static void warmUp(int clients, PrintStream out) throws Exception {
        new LoadRun(Math.min(2_000, 100 * clients), clients, new PrintStream(PrintStream.nullOutputStream()))
                .run("warm-up", new PageViews() {
                    @Override
                    public void record(String visitor, String path) {
                    }

                    @Override
                    public Accounting finish() {
                        return new Accounting(0, 0, 0, 0);
                    }
                });
        out.flush();
    }

    private static void printTable(List<LoadRun.Result> results, PrintStream out) {
        out.printf("%n%-19s %10s %23s %19s %9s %8s %6s %7s%n", "", "", "request latency (ms)", "logging call (us)",
                "", "", "", "");
        out.printf("%-19s %10s %7s %7s %7s %9s %9s %9s %8s %6s %7s%n", "", "requests/s", "p50", "p99", "max", "p50",
                "p99", "written", "dropped", "failed", "pending");
        for (LoadRun.Result r : results) {
            PageViews.Accounting a = r.accounting();
            out.printf("%-19s %,10.0f %7.2f %7.2f %7.1f %,9.1f %,9.1f %,9d %,8d %,6d %,7d%n", r.system(),
                    r.requestsPerSecond(), r.latencyMillis()[0], r.latencyMillis()[1], r.latencyMillis()[2],
                    r.recordMillis()[0] * 1_000, r.recordMillis()[1] * 1_000, a.written(), a.dropped(), a.failed(),
                    a.pending());
        }
        LoadRun.Result sync = results.get(0);
        LoadRun.Result ring = results.get(1);
        out.printf("%nThe logging call on the request thread: %,.1f us with a synchronous insert, %,.1f us with ringlog"
                + " (p50).%nringlog committed its last events %,d ms after the last request.%n",
                sync.recordMillis()[0] * 1_000, ring.recordMillis()[0] * 1_000, ring.finishMillis());
    }

    /** Every request's event is written, dropped or failed, none pending, and the table holds the written ones. */
    private static boolean checkAccounting(LoadRun.Result r, long rows, PrintStream out) {
        PageViews.Accounting a = r.accounting();
        boolean ok = a.written() + a.dropped() + a.failed() == r.requests() && a.pending() == 0 && rows == a.written();
        if (!ok) {
            out.printf("%s: %,d requests but written %,d + dropped %,d + failed %,d, pending %,d; %,d rows in the table%n",
                    r.system(), r.requests(), a.written(), a.dropped(), a.failed(), a.pending(), rows);
        }
        return ok;
    }

    private static long rows(DataSource db, String table) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void printTopPages(DataSource db, PrintStream out) throws SQLException {
        out.printf("%nmost viewed pages, read back from %s:%n", RINGLOG_TABLE);
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT payload, COUNT(*) AS views FROM " + RINGLOG_TABLE
                     + " GROUP BY payload ORDER BY views DESC, payload LIMIT 5")) {
            while (rs.next()) {
                String payload = rs.getString(1);
                String path = payload.substring(payload.indexOf(":\"") + 2, payload.lastIndexOf('"'));
                out.printf("  %-12s %,7d views%n", path, rs.getLong(2));
            }
        }
    }

    /** The file, the tables and the command that reads them once the demo has exited (H2 opens a file in one process). */
    private static void printWhereTheDataIs(EmbeddedH2 embedded, PrintStream out) throws Exception {
        Path h2Jar = Path.of(Class.forName("org.h2.Driver").getProtectionDomain().getCodeSource().getLocation().toURI());
        out.printf("%nthe rows are in %s.mv.db, tables %s and %s; read them after the demo with H2's shell:%n",
                embedded.url().substring("jdbc:h2:file:".length()).split(";")[0], SYNC_TABLE, RINGLOG_TABLE);
        out.printf("  java -cp %s org.h2.tools.Shell -url \"%s\" -user sa -password \"\" -sql \"SELECT COUNT(*) FROM %s\"%n",
                h2Jar, embedded.url(), RINGLOG_TABLE);
    }

    private static int port(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0 && n <= 65_535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(option + " must be a port in [0, 65535] (0: any free port): "
                + option + "=" + value);
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(option + " must be a positive integer: " + option + "=" + value);
    }
}
