package dev.ringlog.bench;

import static dev.ringlog.bench.Cells.fmt;
import static dev.ringlog.bench.Cells.orZero;
import static dev.ringlog.bench.Cells.ratioRow;
import static dev.ringlog.bench.JmhResults.medianEventsPerSecond;

import com.google.gson.Gson;
import dev.ringlog.bench.JmhResults.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;

/**
 * The tables of what the sink side does: {@code EndToEndBenchmark} (with its throughput chart),
 * {@code AppenderBenchmark}, {@code WritePathBenchmark}, {@code MultiSinkBenchmark} and {@link IdleCpu}.
 */
final class SinkTables {

    static final String[] E2E_ORDER = {"ringlog", "queueAndThreadSameSql", "queueAndThread", "log4j2JdbcAppender",
        "rawBatchInsert", "rawFastest"};

    /** One row of {@link IdleCpu}'s {@code idle-cpu.json}. */
    record IdleCpuRow(String system, String waitStrategy, double seconds, double cpuMillis, double cpuPercent) {
    }

    private SinkTables() {
    }

    /** The table, and the chart {@code e2e-throughput.png} in {@code dir}. */
    static void endToEnd(StringBuilder md, JmhResults results, Path dir) throws IOException {
        List<String> dbs = results.databases();
        if (dbs.isEmpty()) {
            return;
        }
        List<String[]> columns = new ArrayList<>();
        for (String db : dbs) {
            for (String producers : results.producers()) {
                columns.add(new String[] {db, producers});
            }
        }
        md.append("## End to end: events/s from the first publish to the last committed row (`EndToEndBenchmark`)\n\n");
        md.append("`producers` threads publish `events` events (" + results.of("EndToEndBenchmark").stream()
                .map(r -> r.params().get("events")).distinct().reduce((a, b) -> a + ", " + b).orElse("?")
                + "); an invocation ends when all are committed. `SingleShotTime`, one invocation per iteration: "
                + "the median events/s (= events / time) over the measured iterations, in brackets the slowest and the fastest. "
                + "The raw ceilings have no producers: they run once, in the 1-producer column.\n\n");
        md.append("| system |");
        for (String[] c : columns) {
            md.append(' ').append(c[0]).append(", ").append(c[1]).append(c[1].equals("1") ? " producer" : " producers").append(" |");
        }
        md.append("\n|---|");
        columns.forEach(d -> md.append("---:|"));
        md.append('\n');
        CategoryChart chart = ChartRenderer.chart("End to end: events/s from publish to committed row (higher is better)",
                "system", "events per second");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        List<String> systems = new ArrayList<>();
        for (String system : E2E_ORDER) {
            boolean any = false;
            StringBuilder row = new StringBuilder("| `" + system + "` |");
            for (String[] c : columns) {
                Optional<Result> r = results.e2e(system, c[0], c[1]);
                row.append(' ').append(r.map(Cells::rate).orElse("–")).append(" |");
                series.computeIfAbsent(c[0] + ", " + c[1] + "p", k -> new ArrayList<>())
                        .add(r.map(JmhResults::medianEventsPerSecond).orElse(0.0));
                any |= r.isPresent();
            }
            if (any) {
                md.append(row).append('\n');
                systems.add(system);
            } else {
                series.values().forEach(l -> l.remove(l.size() - 1));
            }
        }
        series.forEach((db, ys) -> chart.addSeries(db, systems, ys));
        md.append('\n');
        BitmapEncoder.saveBitmap(chart, dir.resolve("e2e-throughput.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        md.append("![end-to-end throughput](e2e-throughput.png)\n\n");
    }

    static void appenders(StringBuilder md, JmhResults results) {
        List<Result> appenders = results.of("AppenderBenchmark");
        List<String> dbs = appenders.stream().map(r -> r.params().get("database")).distinct().sorted().toList();
        if (dbs.isEmpty()) {
            return;
        }
        md.append("## Database appenders: events/s from `log.info` to the committed row (`AppenderBenchmark`)\n\n")
                .append("One thread logs `events` events (").append(appenders.get(0).params().get("events"))
                .append("); an invocation ends when all are committed. Median events/s over the measured iterations,")
                .append(" in brackets the slowest and the fastest; then ringlog's over the better of the two peers.\n\n| appender |");
        dbs.forEach(db -> md.append(' ').append(db).append(" events/s |"));
        md.append("\n|---|");
        dbs.forEach(d -> md.append("---:|"));
        md.append('\n');
        for (String system : new String[] {"ringlogLogback", "ringlogLog4j2", "log4j2JdbcAppender", "logbackDbAppender"}) {
            md.append("| `").append(system).append("` |");
            for (String db : dbs) {
                md.append(' ').append(appender(results, system, db).map(Cells::rate).orElse("–")).append(" |");
            }
            md.append('\n');
        }
        for (String system : new String[] {"ringlogLogback", "ringlogLog4j2"}) {
            md.append("| `").append(system).append("` / better peer |");
            for (String db : dbs) {
                double peer = Math.max(appenderRate(results, "log4j2JdbcAppender", db), appenderRate(results, "logbackDbAppender", db));
                double own = appenderRate(results, system, db);
                md.append(' ').append(peer > 0 && own > 0 ? String.format(Locale.ROOT, "%.1f x", own / peer) : "–").append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static Optional<Result> appender(JmhResults results, String system, String db) {
        return results.find("AppenderBenchmark", system, "ss", 0, Map.of("database", db));
    }

    private static double appenderRate(JmhResults results, String system, String db) {
        return appender(results, system, db).map(JmhResults::medianEventsPerSecond).orElse(0.0);
    }

    static void writePaths(StringBuilder md, JmhResults results) {
        List<Result> paths = results.of("WritePathBenchmark");
        if (paths.isEmpty()) {
            return;
        }
        md.append("## The sink's write paths: rows/s of `JdbcSink` alone, batches of 1,000, first attempts (`WritePathBenchmark`)\n\n");
        md.append("Mean ± 99.9% CI over the measured iterations; **bold** the fastest per database, the default it backs.\n\n");
        md.append("| database | write path | rows/s |\n|---|---|---:|\n");
        for (String db : paths.stream().map(r -> r.params().get("database")).distinct().sorted().toList()) {
            List<Result> of = paths.stream().filter(r -> db.equals(r.params().get("database"))).toList();
            double best = of.stream().mapToDouble(Result::score).max().orElse(Double.NaN);
            for (Result r : of) {
                String cell = Cells.mean(r);
                md.append("| ").append(db).append(" | `").append(r.params().get("path")).append("` | ")
                        .append(r.score() == best ? "**" + cell + "**" : cell).append(" |\n");
            }
        }
        md.append('\n');
    }

    /**
     * {@code MultiSinkBenchmark}: the database sink alone ({@code db}) and with a FileSink (gzip, AES-GCM) beside
     * it ({@code db_file}): publish percentiles (think time included, the same in both) and the database
     * sink's end-to-end rate, with the two targets of issue 13.
     */
    static void multiSink(StringBuilder md, JmhResults results) {
        String clazz = "MultiSinkBenchmark";
        Optional<Result> pubDb = results.find(clazz, "publish", "sample", 0, Map.of("sinks", "db"));
        Optional<Result> pubBoth = results.find(clazz, "publish", "sample", 0, Map.of("sinks", "db_file"));
        Optional<Result> e2eDb = results.find(clazz, "endToEnd", "ss", 0, Map.of("sinks", "db"));
        Optional<Result> e2eBoth = results.find(clazz, "endToEnd", "ss", 0, Map.of("sinks", "db_file"));
        if (pubDb.isEmpty() && e2eDb.isEmpty()) {
            return;
        }
        md.append("## Several sinks: an H2 sink alone and with a FileSink (gzip, AES-GCM) beside it (`MultiSinkBenchmark`)\n\n");
        Optional<Result> pacing = results.find(clazz, "pacing", "sample", 0, Map.of());
        md.append("Publish: ns per call, the think time included (the same in every row; `pacing` is the think time alone:"
                + " the think time varies more than a publish costs, so the rows are compared as they are, not net of it);"
                + " end to end: the database sink's events/s (median [slowest–fastest]).\n\n");
        md.append("| sinks | publish p50 ns | p99 ns | p99.9 ns | dropped | database sink events/s |\n|---|---:|---:|---:|---:|---:|\n");
        for (String sinks : new String[] {"db", "db_file", "pacing"}) {
            Optional<Result> pub = sinks.equals("db") ? pubDb : sinks.equals("db_file") ? pubBoth : pacing;
            Optional<Result> e2e = sinks.equals("db") ? e2eDb : sinks.equals("db_file") ? e2eBoth : Optional.empty();
            md.append("| `").append(sinks).append("` | ")
                    .append(pub.map(r -> Cells.percentiles(r)
                            + " | " + (sinks.equals("pacing") ? "–" : fmt(orZero(r.secondary("dropped"))))).orElse("– | – | – | –"))
                    .append(" | ").append(e2e.map(Cells::rate).orElse("–")).append(" |\n");
        }
        md.append("\n| target | measured | verdict |\n|---|---|---|\n");
        if (pubDb.isPresent() && pubBoth.isPresent()) {
            ratioRow(md, "publish p50 with the file sink <= 1.1 x the database sink alone", pubBoth.get().percentile(50),
                    pubDb.get().percentile(50), 1.1, true);
            ratioRow(md, "publish p99 with the file sink <= 1.1 x the database sink alone", pubBoth.get().percentile(99),
                    pubDb.get().percentile(99), 1.1, true);
        }
        if (e2eDb.isPresent() && e2eBoth.isPresent()) {
            ratioRow(md, "database sink end to end with the file sink >= 0.9 x alone", medianEventsPerSecond(e2eBoth.get()),
                    medianEventsPerSecond(e2eDb.get()), 0.9, false);
        }
        md.append('\n');
    }

    /**
     * {@code JournalBenchmark}: the journal off and under each sync policy: publish percentiles (think time
     * included, as in {@link #multiSink}) and the H2 sink's end-to-end rate, with issue 14's target.
     */
    static void journal(StringBuilder md, JmhResults results) {
        String clazz = "JournalBenchmark";
        String[] journals = {"off", "none", "100ms", "batch"};
        if (results.find(clazz, "publish", "sample", 0, Map.of("journal", "off")).isEmpty()
                && results.find(clazz, "endToEnd", "ss", 0, Map.of("journal", "off")).isEmpty()) {
            return;
        }
        md.append("## The journal: off and under each sync policy (`JournalBenchmark`)\n\n"
                + "Publish: ns per call, the think time of `PublishBenchmark` included (the same in every row); end to end: "
                + "events/s into H2 from the first publish to the last commit, the journal on the machine's disk "
                + "(median [slowest–fastest]).\n\n"
                + "| journal (`ringlog.journal.sync`) | publish p50 ns | p99 ns | p99.9 ns | end to end events/s |\n|---|---:|---:|---:|---:|\n");
        for (String journal : journals) {
            Optional<Result> pub = results.find(clazz, "publish", "sample", 0, Map.of("journal", journal));
            Optional<Result> e2e = results.find(clazz, "endToEnd", "ss", 0, Map.of("journal", journal));
            md.append("| `").append(journal).append("` | ")
                    .append(pub.map(Cells::percentiles).orElse("– | – | –"))
                    .append(" | ").append(e2e.map(Cells::rate).orElse("–")).append(" |\n");
        }
        Optional<Result> off = results.find(clazz, "endToEnd", "ss", 0, Map.of("journal", "off"));
        md.append("\n| target | measured | verdict |\n|---|---|---|\n");
        for (String journal : new String[] {"none", "100ms", "batch"}) {
            results.find(clazz, "endToEnd", "ss", 0, Map.of("journal", journal)).ifPresent(on -> off.ifPresent(o ->
                    ratioRow(md, "end to end with the journal (" + journal + ") >= 0.8 x without (issue 14)",
                            medianEventsPerSecond(on), medianEventsPerSecond(o), 0.8, false)));
        }
        md.append('\n');
    }

    /** {@code idle-cpu.json} in {@code dir}, if {@link IdleCpu} wrote it. */
    static void idleCpu(StringBuilder md, Path dir) throws IOException {
        Path f = dir.resolve("idle-cpu.json");
        if (!Files.exists(f)) {
            return;
        }
        md.append("## Idle sink thread CPU (`IdleCpu`: no events, `ThreadMXBean.getThreadCpuTime`)\n\n");
        md.append("| system | wait strategy | idle seconds | CPU ms | % of one core |\n|---|---|---:|---:|---:|\n");
        for (IdleCpuRow row : new Gson().fromJson(Files.readString(f), IdleCpuRow[].class)) {
            md.append("| `").append(row.system()).append("` | ").append(row.waitStrategy())
                    .append(" | ").append(fmt(row.seconds())).append(" | ").append(fmt(row.cpuMillis())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f%%", row.cpuPercent())).append(" |\n");
        }
        md.append('\n');
    }
}
