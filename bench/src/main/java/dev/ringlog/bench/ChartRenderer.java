package dev.ringlog.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Renders the JMH JSON files of a results directory into {@code results.md} (tables and the targets
 * of issues 10 and 3, met or missed) and PNG charts: publish latency percentiles per system (one chart per
 * thread count) and end-to-end throughput per system and database. Reads every {@code *.json} that
 * JMH wrote ({@code -rf json}) and {@code idle-cpu.json} from {@link IdleCpu}.
 *
 * <p>Usage: {@code java -Djava.awt.headless=true -cp benchmarks.jar dev.ringlog.bench.ChartRenderer bench/results}.
 */
public final class ChartRenderer {

    static final String[] PUBLISH_ORDER = {"ringlog", "disruptorRaw", "arrayBlockingQueue", "log4j2AsyncLogger",
        "logbackAsyncAppender", "syncJdbcInsert", "pacing"};
    static final String[] E2E_ORDER = {"ringlog", "queueAndThreadSameSql", "queueAndThread", "log4j2JdbcAppender",
        "rawBatchInsert", "rawFastest"};
    /** The think time every PublishBenchmark method spends before its publish; its percentiles are subtracted. */
    static final String PACING = "pacing";
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    /** One JMH result: a benchmark method in one mode with one set of params and thread count. */
    record Result(String clazz, String method, String mode, int threads, Map<String, String> params,
                  double score, double error, String unit, Map<Double, Double> percentiles,
                  List<List<double[]>> iterationHistograms, Map<String, double[]> secondary, List<Double> rawTimes) {

        /** The p-th percentile of each measured iteration, from JMH's raw histograms. */
        List<Double> perIteration(double p) {
            List<Double> out = new ArrayList<>();
            for (List<double[]> hist : iterationHistograms) {
                out.add(percentile(hist, p));
            }
            return out;
        }

        double secondary(String name) {
            double[] v = secondary.get(name);
            return v == null ? Double.NaN : v[0];
        }
    }

    private ChartRenderer() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/results");
        List<Result> results = read(dir);
        if (results.isEmpty()) {
            throw new IllegalStateException("no JMH JSON results in " + dir.toAbsolutePath());
        }
        StringBuilder md = new StringBuilder();
        Path machine = dir.resolve("machine.txt");
        md.append("# ringlog benchmark results\n\n");
        if (Files.exists(machine)) {
            md.append("```\n").append(Files.readString(machine).strip()).append("\n```\n\n");
        }
        publishTables(md, results, dir);
        e2eTable(md, results, dir);
        appenderTable(md, results);
        writePathTable(md, results);
        slowTable(md, results);
        publishPathTable(md, results);
        requestLogTable(md, results);
        multiSinkTable(md, results);
        idleTable(md, dir);
        Path offered = dir.resolve("offered-load.md"); // OfferedLoad --render, when the run made it
        if (Files.exists(offered)) {
            md.append(Files.readString(offered)).append('\n');
        }
        targets(md, results);
        Files.writeString(dir.resolve("results.md"), md.toString());
        System.out.println("wrote " + dir.resolve("results.md"));
    }

    // ---------------------------------------------------------------- reading

    static List<Result> read(Path dir) throws IOException {
        List<Result> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            JsonElement root;
            try (Reader r = Files.newBufferedReader(f)) {
                root = JsonParser.parseReader(r);
            }
            if (!root.isJsonArray()) {
                continue;
            }
            for (JsonElement e : root.getAsJsonArray()) {
                JsonObject o = e.getAsJsonObject();
                if (o.has("benchmark")) {
                    out.add(parse(o));
                }
            }
        }
        return out;
    }

    private static Result parse(JsonObject o) {
        String[] name = o.get("benchmark").getAsString().split("\\.");
        Map<String, String> params = new TreeMap<>();
        if (o.has("params")) {
            o.getAsJsonObject("params").entrySet().forEach(p -> params.put(p.getKey(), p.getValue().getAsString()));
        }
        JsonObject pm = o.getAsJsonObject("primaryMetric");
        Map<Double, Double> pct = new TreeMap<>();
        if (pm.has("scorePercentiles")) {
            pm.getAsJsonObject("scorePercentiles").entrySet()
                    .forEach(p -> pct.put(Double.parseDouble(p.getKey()), p.getValue().getAsDouble()));
        }
        List<List<double[]>> hists = new ArrayList<>();
        if (pm.has("rawDataHistogram")) {
            for (JsonElement fork : pm.getAsJsonArray("rawDataHistogram")) {
                for (JsonElement iteration : fork.getAsJsonArray()) {
                    List<double[]> h = new ArrayList<>();
                    for (JsonElement pair : iteration.getAsJsonArray()) {
                        JsonArray a = pair.getAsJsonArray();
                        h.add(new double[] {a.get(0).getAsDouble(), a.get(1).getAsDouble()});
                    }
                    hists.add(h);
                }
            }
        }
        Map<String, double[]> secondary = new LinkedHashMap<>();
        if (o.has("secondaryMetrics")) {
            o.getAsJsonObject("secondaryMetrics").entrySet().forEach(s -> {
                JsonObject m = s.getValue().getAsJsonObject();
                secondary.put(s.getKey(), new double[] {num(m, "score"), num(m, "scoreError")});
            });
        }
        List<Double> raw = new ArrayList<>();
        if (pm.has("rawData")) {
            for (JsonElement fork : pm.getAsJsonArray("rawData")) {
                fork.getAsJsonArray().forEach(v -> raw.add(v.getAsDouble()));
            }
        }
        return new Result(name[name.length - 2], name[name.length - 1], o.get("mode").getAsString(),
                o.get("threads").getAsInt(), params, num(pm, "score"), num(pm, "scoreError"),
                pm.get("scoreUnit").getAsString(), pct, hists, secondary, raw);
    }

    private static double num(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return Double.NaN;
        }
        try {
            return e.getAsDouble();
        } catch (NumberFormatException nan) {
            return Double.NaN; // JMH writes "NaN" for a single iteration's error
        }
    }

    static double percentile(List<double[]> hist, double p) {
        List<double[]> sorted = new ArrayList<>(hist);
        sorted.sort(Comparator.comparingDouble(a -> a[0]));
        double total = 0;
        for (double[] b : sorted) {
            total += b[1];
        }
        double rank = Math.ceil(p / 100 * total);
        double seen = 0;
        for (double[] b : sorted) {
            seen += b[1];
            if (seen >= rank) {
                return b[0];
            }
        }
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1)[0];
    }

    // ---------------------------------------------------------------- publish

    private static List<Integer> publishThreads(List<Result> results) {
        return results.stream().filter(r -> r.clazz().equals("PublishBenchmark")).map(Result::threads)
                .distinct().sorted().toList();
    }

    private static Optional<Result> find(List<Result> results, String clazz, String method, String mode,
                                         int threads, Map<String, String> params) {
        return results.stream().filter(r -> r.clazz().equals(clazz) && r.method().equals(method)
                        && r.mode().equals(mode) && (threads <= 0 || r.threads() == threads)
                        && params.entrySet().stream().allMatch(p -> p.getValue().equals(r.params().get(p.getKey()))))
                .findFirst();
    }

    private static void publishTables(StringBuilder md, List<Result> results, Path dir) throws IOException {
        for (int threads : publishThreads(results)) {
            md.append("## Publish: one event handed to each system, ").append(threads)
                    .append(threads == 1 ? " producer thread" : " producer threads").append(" (`PublishBenchmark`)\n\n");
            Optional<Result> paceSample = find(results, "PublishBenchmark", PACING, "sample", threads, Map.of());
            Optional<Result> paceAvgt = find(results, "PublishBenchmark", PACING, "avgt", threads, Map.of());
            double pace = paceSample.map(r -> p(r, 50)).orElse(0.0);
            md.append("Each method spends the same think time (`Blackhole.consumeCPU`) before its publish, and `pacing` "
                    + "measures it alone. Every row is net of it: each percentile minus the median of `pacing` (here "
                    + fmt(pace) + " ns), each mean minus the mean of `pacing`. The tails still hold what interrupts and "
                    + "preemption add during the think time: the `pacing` row is that floor. Latency percentiles from "
                    + "`Mode.SampleTime` (pooled over all iterations; in brackets the range of the same percentile over "
                    + "the single iterations of all forks), mean from `Mode.AverageTime` (± 99.9% CI), allocation from "
                    + "`-prof gc` (`gc.alloc.rate.norm`, AverageTime run), drops per iteration from `@AuxCounters`.\n\n");
            md.append("| system | mean ns/op | p50 ns | p90 ns | p99 ns | p99.9 ns | p99.99 ns | B/op | dropped |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            CategoryChart chart = new CategoryChartBuilder().width(1000).height(560)
                    .title("Publish latency, " + threads + (threads == 1 ? " producer thread" : " producer threads")
                            + " (JMH SampleTime, net of the think time, log scale)")
                    .xAxisTitle("percentile").yAxisTitle("ns per publish").build();
            style(chart);
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(10.0); // bars start at the axis minimum, which log scale needs above 0
            List<String> labels = new ArrayList<>();
            for (double p : PERCENTILES) {
                labels.add("p" + fmtPct(p));
            }
            for (String system : PUBLISH_ORDER) {
                Optional<Result> sample = find(results, "PublishBenchmark", system, "sample", threads, Map.of());
                Optional<Result> avgt = find(results, "PublishBenchmark", system, "avgt", threads, Map.of());
                if (sample.isEmpty() && avgt.isEmpty()) {
                    continue;
                }
                boolean net = !system.equals(PACING);
                double paceMean = paceAvgt.map(Result::score).orElse(0.0);
                md.append("| `").append(system).append(net ? "` | " : "` (the think time alone: the noise floor) | ");
                md.append(avgt.map(r -> fmt(r.score() - paceMean) + " ± " + fmt(r.error())).orElse("–")).append(" | ");
                List<Double> ys = new ArrayList<>();
                for (double p : PERCENTILES) {
                    if (sample.isPresent()) {
                        double v = sample.get().percentiles().getOrDefault(p, Double.NaN) - pace;
                        List<Double> it = sample.get().perIteration(p).stream().map(x -> x - pace).toList();
                        md.append(fmt(v));
                        if (p <= 99 && it.size() > 1) {
                            md.append(" [").append(fmt(min(it))).append("–").append(fmt(max(it))).append("]");
                        }
                        ys.add(Double.isNaN(v) ? 10.0 : Math.max(v, 10.0));
                    } else {
                        md.append("–");
                    }
                    md.append(" | ");
                }
                Result alloc = avgt.orElse(sample.orElse(null));
                double bytes = alloc.secondary("gc.alloc.rate.norm");
                md.append(Double.isNaN(bytes) ? "–" : fmt(bytes)).append(" | ");
                double dropped = avgt.map(r -> r.secondary("dropped")).orElse(Double.NaN);
                double droppedS = sample.map(r -> r.secondary("dropped")).orElse(Double.NaN);
                md.append(dropCell(dropped, droppedS, system)).append(" |\n");
                if (sample.isPresent()) {
                    chart.addSeries(system, labels, ys);
                }
            }
            md.append('\n');
            if (!chart.getSeriesMap().isEmpty()) { // percentiles come from SampleTime runs only
                String png = "publish-latency-" + threads + "t.png";
                BitmapEncoder.saveBitmap(chart, dir.resolve(png).toString(), BitmapEncoder.BitmapFormat.PNG);
                md.append("![publish latency, ").append(threads).append(" thread(s)](").append(png).append(")\n\n");
            }
        }
    }

    private static String dropCell(double avgt, double sample, String system) {
        if (system.equals(PACING)) {
            return "–";
        }
        if (system.equals("log4j2AsyncLogger") || system.equals("syncJdbcInsert")) {
            return "cannot drop";
        }
        if (system.equals("logbackAsyncAppender")) {
            return "silent (see log)";
        }
        if (Double.isNaN(avgt) && Double.isNaN(sample)) {
            return "–";
        }
        return fmt(Double.isNaN(avgt) ? 0 : avgt) + " / " + fmt(Double.isNaN(sample) ? 0 : sample);
    }

    // ---------------------------------------------------------------- end to end

    /** Events/s of each measured invocation (SingleShotTime: one invocation per iteration). */
    private static List<Double> eventsPerSecondEach(Result r) {
        double events = Double.parseDouble(r.params().getOrDefault("events", "1000000"));
        List<Double> out = new ArrayList<>();
        for (double t : r.rawTimes()) {
            out.add(events / (t * unitSeconds(r.unit())));
        }
        return out;
    }

    /** The median events/s over the measured invocations. */
    private static double eventsPerSecond(Result r) {
        return median(eventsPerSecondEach(r));
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static double unitSeconds(String unit) {
        return switch (unit) {
            case "s/op" -> 1;
            case "ms/op" -> 1e-3;
            case "us/op" -> 1e-6;
            case "ns/op" -> 1e-9;
            default -> throw new IllegalArgumentException("unexpected unit " + unit);
        };
    }

    private static List<String> databases(List<Result> results) {
        return results.stream().filter(r -> r.clazz().equals("EndToEndBenchmark"))
                .map(r -> r.params().get("database")).distinct().sorted().toList();
    }

    /** The producer counts EndToEndBenchmark ran with ("1" for results without the parameter). */
    private static List<String> producers(List<Result> results) {
        return results.stream().filter(r -> r.clazz().equals("EndToEndBenchmark"))
                .map(r -> r.params().getOrDefault("producers", "1")).distinct().sorted().toList();
    }

    private static void e2eTable(StringBuilder md, List<Result> results, Path dir) throws IOException {
        List<String> dbs = databases(results);
        if (dbs.isEmpty()) {
            return;
        }
        List<String[]> columns = new ArrayList<>();
        for (String db : dbs) {
            for (String producers : producers(results)) {
                columns.add(new String[] {db, producers});
            }
        }
        md.append("## End to end: events/s from the first publish to the last committed row (`EndToEndBenchmark`)\n\n");
        md.append("`producers` threads publish `events` events (" + results.stream().filter(r -> r.clazz().equals("EndToEndBenchmark"))
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
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(560)
                .title("End to end: events/s from publish to committed row (higher is better)")
                .xAxisTitle("system").yAxisTitle("events per second").build();
        style(chart);
        Map<String, List<Double>> series = new LinkedHashMap<>();
        List<String> systems = new ArrayList<>();
        for (String system : E2E_ORDER) {
            boolean any = false;
            StringBuilder row = new StringBuilder("| `" + system + "` |");
            for (String[] c : columns) {
                Optional<Result> r = e2e(results, system, c[0], c[1]);
                row.append(' ').append(r.map(x -> fmt(eventsPerSecond(x)) + " [" + fmt(min(eventsPerSecondEach(x)))
                        + "–" + fmt(max(eventsPerSecondEach(x))) + "]").orElse("–")).append(" |");
                series.computeIfAbsent(c[0] + ", " + c[1] + "p", k -> new ArrayList<>())
                        .add(r.map(ChartRenderer::eventsPerSecond).orElse(0.0));
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

    private static void appenderTable(StringBuilder md, List<Result> results) {
        List<Result> appenders = results.stream().filter(r -> r.clazz().equals("AppenderBenchmark")).toList();
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
                Optional<Result> r = find(appenders, "AppenderBenchmark", system, "ss", 0, Map.of("database", db));
                md.append(' ').append(r.map(x -> fmt(eventsPerSecond(x)) + " [" + fmt(min(eventsPerSecondEach(x))) + "–"
                        + fmt(max(eventsPerSecondEach(x))) + "]").orElse("–")).append(" |");
            }
            md.append('\n');
        }
        for (String system : new String[] {"ringlogLogback", "ringlogLog4j2"}) {
            md.append("| `").append(system).append("` / better peer |");
            for (String db : dbs) {
                double peer = Math.max(appenderRate(appenders, "log4j2JdbcAppender", db), appenderRate(appenders, "logbackDbAppender", db));
                double own = appenderRate(appenders, system, db);
                md.append(' ').append(peer > 0 && own > 0 ? String.format(Locale.ROOT, "%.1f x", own / peer) : "–").append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static double appenderRate(List<Result> appenders, String system, String db) {
        return find(appenders, "AppenderBenchmark", system, "ss", 0, Map.of("database", db)).map(ChartRenderer::eventsPerSecond).orElse(0.0);
    }

    // ---------------------------------------------------------------- slow storage and idle CPU

    private static void slowTable(StringBuilder md, List<Result> results) {
        List<Result> slow = results.stream().filter(r -> r.clazz().equals("SlowStorageBenchmark")).toList();
        if (slow.isEmpty()) {
            return;
        }
        md.append("## Slow storage: request-path cost when every commit takes ")
                .append(slow.get(0).params().getOrDefault("commitMillis", "?")).append(" ms (`SlowStorageBenchmark`)\n\n");
        md.append("| system | mean us | p50 us | p99 us | p99.9 us | samples | dropped |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (String system : new String[] {"syncInsert", "ringlog"}) {
            find(slow, "SlowStorageBenchmark", system, "sample", 0, Map.of()).ifPresent(r -> md.append("| `")
                    .append(system).append("` | ").append(fmt(r.score())).append(" ± ").append(fmt(r.error()))
                    .append(" | ").append(fmt(r.percentiles().get(50.0))).append(" | ")
                    .append(fmt(r.percentiles().get(99.0))).append(" | ").append(fmt(r.percentiles().get(99.9)))
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f",
                            r.iterationHistograms().stream().mapToDouble(h -> h.stream().mapToDouble(b -> b[1]).sum()).sum()))
                    .append(" | ").append(system.equals("ringlog") ? fmt(orZero(r.secondary("dropped"))) : "cannot drop")
                    .append(" |\n"));
        }
        md.append('\n');
    }

    private static void publishPathTable(StringBuilder md, List<Result> results) {
        List<Result> path = results.stream().filter(r -> r.clazz().equals("PublishPathBenchmark")).toList();
        if (path.isEmpty()) {
            return;
        }
        List<Integer> threads = path.stream().map(Result::threads).distinct().sorted().toList();
        md.append("## Publish path, producer side only (`PublishPathBenchmark`: no consumer, mean ns/op ± 99.9% CI)\n\n| step |");
        threads.forEach(t -> md.append(' ').append(t).append(t == 1 ? " thread |" : " threads |"));
        md.append("\n|---|");
        threads.forEach(t -> md.append("---:|"));
        md.append('\n');
        for (String method : path.stream().map(Result::method).distinct().toList()) {
            md.append("| `").append(method).append("` |");
            for (int t : threads) {
                md.append(' ').append(find(path, "PublishPathBenchmark", method, "avgt", t, Map.of())
                        .map(r -> fmt(r.score()) + " ± " + fmt(r.error())).orElse("–")).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static void requestLogTable(StringBuilder md, List<Result> results) {
        List<Result> log = results.stream().filter(r -> r.clazz().equals("RequestLogFilterBenchmark")).toList();
        if (log.isEmpty()) {
            return;
        }
        String clazz = "RequestLogFilterBenchmark";
        double nothing = find(log, clazz, "nothing", "avgt", 0, Map.of()).map(Result::score).orElse(Double.NaN);
        md.append("## Request logging: `RequestLogFilter.doFilter` against a filter that does nothing (`RequestLogFilterBenchmark`)\n\n")
                .append("| filter | mean ns/op ± 99.9% CI | added over `nothing` | p50 ns | p99 ns | B/op |\n|---|---:|---:|---:|---:|---:|\n");
        for (String method : log.stream().map(Result::method).distinct().toList()) {
            Optional<Result> avgt = find(log, clazz, method, "avgt", 0, Map.of());
            Optional<Result> sample = find(log, clazz, method, "sample", 0, Map.of());
            md.append("| `").append(method).append("` | ")
                    .append(avgt.map(r -> fmt(r.score()) + " ± " + fmt(r.error())).orElse("–")).append(" | ")
                    .append(avgt.map(r -> fmt(r.score() - nothing)).orElse("–")).append(" | ")
                    .append(sample.map(r -> fmt(r.percentiles().get(50.0))).orElse("–")).append(" | ")
                    .append(sample.map(r -> fmt(r.percentiles().get(99.0))).orElse("–")).append(" | ")
                    .append(avgt.map(r -> fmt(r.secondary("gc.alloc.rate.norm"))).orElse("–")).append(" |\n");
        }
        md.append('\n');
    }

    private static void idleTable(StringBuilder md, Path dir) throws IOException {
        Path f = dir.resolve("idle-cpu.json");
        if (!Files.exists(f)) {
            return;
        }
        md.append("## Idle sink thread CPU (`IdleCpu`: no events, `ThreadMXBean.getThreadCpuTime`)\n\n");
        md.append("| system | wait strategy | idle seconds | CPU ms | % of one core |\n|---|---|---:|---:|---:|\n");
        for (JsonElement e : JsonParser.parseString(Files.readString(f)).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            md.append("| `").append(o.get("system").getAsString()).append("` | ").append(o.get("waitStrategy").getAsString())
                    .append(" | ").append(fmt(o.get("seconds").getAsDouble())).append(" | ")
                    .append(fmt(o.get("cpuMillis").getAsDouble())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f%%", o.get("cpuPercent").getAsDouble())).append(" |\n");
        }
        md.append('\n');
    }

    // ---------------------------------------------------------------- targets

    private static void targets(StringBuilder md, List<Result> results) {
        md.append("## Targets\n\nPublish latencies net of the think time (see above); end to end, median events/s. "
                + "Issue 10's targets first, then issue 3's.\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (int threads : publishThreads(results)) {
            Optional<Double> rl50 = net(results, "ringlog", threads, 50);
            Optional<Double> raw50 = net(results, "disruptorRaw", threads, 50);
            Optional<Double> rl99 = net(results, "ringlog", threads, 99);
            Optional<Double> raw99 = net(results, "disruptorRaw", threads, 99);
            if (rl50.isPresent() && raw50.isPresent()) {
                ratioRow(md, threads + "t: ringlog p50 <= 1.1 x disruptorRaw p50", rl50.get(), raw50.get(), 1.1, true);
            }
            if (rl99.isPresent() && raw99.isPresent()) {
                ratioRow(md, threads + "t: ringlog p99 <= 1.1 x disruptorRaw p99", rl99.get(), raw99.get(), 1.1, true);
            }
        }
        for (String db : databases(results)) {
            Optional<Result> fastest = e2e(results, "rawFastest", db, "1");
            Optional<Result> batch = e2e(results, "rawBatchInsert", db, "1");
            for (String producers : producers(results)) {
                String where = db + ", " + producers + "p";
                Optional<Result> rl = e2e(results, "ringlog", db, producers);
                if (rl.isPresent() && (fastest.isPresent() || batch.isPresent())) {
                    // The ceiling is the fastest raw path measured in this run: the plain batch may beat multi-row.
                    Result ceiling = fastest.isEmpty() || batch.isPresent()
                            && eventsPerSecond(batch.get()) > eventsPerSecond(fastest.get()) ? batch.get() : fastest.get();
                    ratioRow(md, where + ": ringlog >= 0.9 x the fastest raw path (" + ceiling.method() + ")",
                            eventsPerSecond(rl.get()), eventsPerSecond(ceiling), 0.9, false);
                }
                e2e(results, "log4j2JdbcAppender", db, producers).ifPresent(l4j -> rl.ifPresent(r -> ratioRow(md,
                        where + ": ringlog >= 1.5 x log4j2JdbcAppender", eventsPerSecond(r), eventsPerSecond(l4j), 1.5, false)));
                e2e(results, "queueAndThreadSameSql", db, producers).ifPresent(q -> rl.ifPresent(r -> ratioRow(md,
                        where + ": ringlog >= 1.0 x queueAndThreadSameSql", eventsPerSecond(r), eventsPerSecond(q), 1.0, false)));
            }
        }
        for (int threads : publishThreads(results)) {
            Optional<Double> rl50 = net(results, "ringlog", threads, 50);
            Optional<Double> l4j50 = net(results, "log4j2AsyncLogger", threads, 50);
            Optional<Double> rl99 = net(results, "ringlog", threads, 99);
            Optional<Double> abq99 = net(results, "arrayBlockingQueue", threads, 99);
            if (rl50.isPresent() && l4j50.isPresent()) {
                ratioRow(md, threads + "t: ringlog p50 <= 1/4 x log4j2AsyncLogger p50 (issue 3)", rl50.get(), l4j50.get(), 0.25, true);
            }
            if (rl99.isPresent() && abq99.isPresent()) {
                ratioRow(md, threads + "t: ringlog p99 <= 1/5 x arrayBlockingQueue p99 (issue 3)", rl99.get(), abq99.get(), 0.2, true);
            }
            find(results, "PublishBenchmark", "ringlog", "avgt", threads, Map.of()).ifPresent(r -> {
                double b = r.secondary("gc.alloc.rate.norm");
                if (!Double.isNaN(b)) {
                    md.append("| ").append(threads).append("t: ringlog 0 B/op (issue 3) | ").append(fmt(b))
                            .append(" B/op | ").append(b < 1 ? "met (< 1 B/op: no allocation per event)" : "**missed**").append(" |\n");
                }
            });
        }
        Optional<Result> sync = find(results, "SlowStorageBenchmark", "syncInsert", "sample", 0, Map.of());
        Optional<Result> rl = find(results, "SlowStorageBenchmark", "ringlog", "sample", 0, Map.of());
        if (sync.isPresent() && rl.isPresent()) {
            double ratio = sync.get().score() / rl.get().score();
            md.append("| slow storage: ringlog request-path cost >= 1000 x lower than sync insert (means, issue 3) | ")
                    .append(fmt(sync.get().score())).append(" us / ").append(fmt(rl.get().score())).append(" us = ")
                    .append(fmt(ratio)).append(" x | ").append(ratio >= 1000 ? "met" : "**missed**").append(" |\n");
        }
        md.append('\n');
    }

    private static Optional<Result> e2e(List<Result> results, String system, String db, String producers) {
        return results.stream().filter(r -> r.clazz().equals("EndToEndBenchmark") && r.method().equals(system)
                && db.equals(r.params().get("database")) && producers.equals(r.params().getOrDefault("producers", "1")))
                .findFirst();
    }

    // ---------------------------------------------------------------- write paths

    private static void writePathTable(StringBuilder md, List<Result> results) {
        List<Result> paths = results.stream().filter(r -> r.clazz().equals("WritePathBenchmark")).toList();
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
                String cell = fmt(r.score()) + " ± " + fmt(r.error());
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
    private static void multiSinkTable(StringBuilder md, List<Result> results) {
        Optional<Result> pubDb = find(results, "MultiSinkBenchmark", "publish", "sample", 0, Map.of("sinks", "db"));
        Optional<Result> pubBoth = find(results, "MultiSinkBenchmark", "publish", "sample", 0, Map.of("sinks", "db_file"));
        Optional<Result> e2eDb = find(results, "MultiSinkBenchmark", "endToEnd", "ss", 0, Map.of("sinks", "db"));
        Optional<Result> e2eBoth = find(results, "MultiSinkBenchmark", "endToEnd", "ss", 0, Map.of("sinks", "db_file"));
        if (pubDb.isEmpty() && e2eDb.isEmpty()) {
            return;
        }
        md.append("## Several sinks: an H2 sink alone and with a FileSink (gzip, AES-GCM) beside it (`MultiSinkBenchmark`)\n\n");
        Optional<Result> pacing = find(results, "MultiSinkBenchmark", "pacing", "sample", 0, Map.of());
        md.append("Publish: ns per call, the think time included (the same in every row; `pacing` is the think time alone:"
                + " the think time varies more than a publish costs, so the rows are compared as they are, not net of it);"
                + " end to end: the database sink's events/s (median [slowest–fastest]).\n\n");
        md.append("| sinks | publish p50 ns | p99 ns | p99.9 ns | dropped | database sink events/s |\n|---|---:|---:|---:|---:|---:|\n");
        for (String sinks : new String[] {"db", "db_file", "pacing"}) {
            Optional<Result> pub = sinks.equals("db") ? pubDb : sinks.equals("db_file") ? pubBoth : pacing;
            Optional<Result> e2e = sinks.equals("db") ? e2eDb : sinks.equals("db_file") ? e2eBoth : Optional.empty();
            md.append("| `").append(sinks).append("` | ")
                    .append(pub.map(r -> fmt(p(r, 50)) + " | " + fmt(p(r, 99)) + " | " + fmt(p(r, 99.9)) + " | "
                            + (sinks.equals("pacing") ? "–" : fmt(orZero(r.secondary("dropped"))))).orElse("– | – | – | –"))
                    .append(" | ").append(e2e.map(x -> fmt(eventsPerSecond(x)) + " [" + fmt(min(eventsPerSecondEach(x)))
                            + "–" + fmt(max(eventsPerSecondEach(x))) + "]").orElse("–")).append(" |\n");
        }
        md.append("\n| target | measured | verdict |\n|---|---|---|\n");
        if (pubDb.isPresent() && pubBoth.isPresent()) {
            ratioRow(md, "publish p50 with the file sink <= 1.1 x the database sink alone", p(pubBoth.get(), 50),
                    p(pubDb.get(), 50), 1.1, true);
            ratioRow(md, "publish p99 with the file sink <= 1.1 x the database sink alone", p(pubBoth.get(), 99),
                    p(pubDb.get(), 99), 1.1, true);
        }
        if (e2eDb.isPresent() && e2eBoth.isPresent()) {
            ratioRow(md, "database sink end to end with the file sink >= 0.9 x alone", eventsPerSecond(e2eBoth.get()),
                    eventsPerSecond(e2eDb.get()), 0.9, false);
        }
        md.append('\n');
    }

    /** A PublishBenchmark percentile of {@code system} minus the median of {@link #PACING} (0 if that is missing). */
    private static Optional<Double> net(List<Result> results, String system, int threads, double pct) {
        double pace = find(results, "PublishBenchmark", PACING, "sample", threads, Map.of()).map(r -> p(r, 50)).orElse(0.0);
        return find(results, "PublishBenchmark", system, "sample", threads, Map.of()).map(r -> p(r, pct) - pace);
    }

    private static double p(Result r, double pct) {
        return r.percentiles().getOrDefault(pct, Double.NaN);
    }

    /**
     * A row "a / b = ratio" against a bound: at most {@code bound} if {@code atMost}, else at least; a miss
     * says by what factor (bound / ratio for "at least", ratio / bound for "at most").
     */
    private static void ratioRow(StringBuilder md, String target, double a, double b, double bound, boolean atMost) {
        double ratio = a / b;
        boolean met = atMost ? ratio <= bound : ratio >= bound;
        md.append("| ").append(target).append(" | ").append(fmt(a)).append(" / ").append(fmt(b)).append(" = ")
                .append(String.format(Locale.ROOT, "%.2f", ratio)).append(" | ")
                .append(met ? "met" : String.format(Locale.ROOT, "**missed** by %.2fx", atMost ? ratio / bound : bound / ratio))
                .append(" |\n");
    }

    // ---------------------------------------------------------------- formatting

    private static void style(CategoryChart chart) {
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setToolTipsEnabled(false);
        chart.getStyler().setAvailableSpaceFill(0.85);
        chart.getStyler().setOverlapped(false);
        s.setSeriesColors(new Color[] {new Color(0x1b, 0x9e, 0x77), new Color(0x75, 0x70, 0xb3), new Color(0xd9, 0x5f, 0x02),
            new Color(0xe7, 0x29, 0x8a), new Color(0x66, 0xa6, 0x1e), new Color(0x66, 0x66, 0x66)});
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static double min(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static String fmtPct(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }

    static String fmt(Double v) {
        if (v == null || Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 100_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
