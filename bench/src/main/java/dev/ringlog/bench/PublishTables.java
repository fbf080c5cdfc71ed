package dev.ringlog.bench;

import static dev.ringlog.bench.Cells.fmt;
import static dev.ringlog.bench.Cells.fmtPct;
import static dev.ringlog.bench.Cells.orZero;

import dev.ringlog.bench.JmhResults.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The tables of what a request thread pays: {@code PublishBenchmark} per thread count (with its latency
 * chart), {@code SlowStorageBenchmark}, {@code PublishPathBenchmark} and {@code RequestLogFilterBenchmark}.
 */
final class PublishTables {

    static final String[] PUBLISH_ORDER = {"ringlog", "disruptorRaw", "arrayBlockingQueue", "log4j2AsyncLogger",
        "logbackAsyncAppender", "syncJdbcInsert", "pacing"};
    /** The think time every PublishBenchmark method spends before its publish; its percentiles are subtracted. */
    static final String PACING = "pacing";
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private PublishTables() {
    }

    /** One table and one chart ({@code publish-latency-<threads>t.png} in {@code dir}) per thread count. */
    static void publish(StringBuilder md, JmhResults results, Path dir) throws IOException {
        for (int threads : results.publishThreads()) {
            md.append("## Publish: one event handed to each system, ").append(threads)
                    .append(threads == 1 ? " producer thread" : " producer threads").append(" (`PublishBenchmark`)\n\n");
            Optional<Result> paceSample = results.find("PublishBenchmark", PACING, "sample", threads, Map.of());
            Optional<Result> paceAvgt = results.find("PublishBenchmark", PACING, "avgt", threads, Map.of());
            double pace = paceSample.map(r -> r.percentile(50)).orElse(0.0);
            md.append("Each method spends the same think time (`Blackhole.consumeCPU`) before its publish, and `pacing` "
                    + "measures it alone. Every row is net of it: each percentile minus the median of `pacing` (here "
                    + fmt(pace) + " ns), each mean minus the mean of `pacing`. The tails still hold what interrupts and "
                    + "preemption add during the think time: the `pacing` row is that floor. Latency percentiles from "
                    + "`Mode.SampleTime` (pooled over all iterations; in brackets the range of the same percentile over "
                    + "the single iterations of all forks), mean from `Mode.AverageTime` (± 99.9% CI), allocation from "
                    + "`-prof gc` (`gc.alloc.rate.norm`, AverageTime run), drops per iteration from `@AuxCounters`.\n\n");
            md.append("| system | mean ns/op | p50 ns | p90 ns | p99 ns | p99.9 ns | p99.99 ns | B/op | dropped |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            CategoryChart chart = ChartRenderer.chart("Publish latency, " + threads
                    + (threads == 1 ? " producer thread" : " producer threads")
                    + " (JMH SampleTime, net of the think time, log scale)", "percentile", "ns per publish");
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(10.0); // bars start at the axis minimum, which log scale needs above 0
            List<String> labels = new ArrayList<>();
            for (double p : PERCENTILES) {
                labels.add("p" + fmtPct(p));
            }
            for (String system : PUBLISH_ORDER) {
                Optional<Result> sample = results.find("PublishBenchmark", system, "sample", threads, Map.of());
                Optional<Result> avgt = results.find("PublishBenchmark", system, "avgt", threads, Map.of());
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
                        double v = sample.get().percentile(p) - pace;
                        ListStatistics it = sample.get().perIteration(p);
                        md.append(fmt(v));
                        if (p <= 99 && it.getN() > 1) {
                            md.append(" [").append(fmt(it.getMin() - pace)).append("–").append(fmt(it.getMax() - pace)).append("]");
                        }
                        ys.add(Double.isNaN(v) ? 10.0 : Math.max(v, 10.0));
                    } else {
                        md.append("–");
                    }
                    md.append(" | ");
                }
                Result alloc = avgt.orElse(sample.orElse(null));
                double bytes = alloc.secondary("gc.alloc.rate.norm");
                md.append(fmt(bytes)).append(" | ");
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
        return fmt(orZero(avgt)) + " / " + fmt(orZero(sample));
    }

    static void slowStorage(StringBuilder md, JmhResults results) {
        List<Result> slow = results.of("SlowStorageBenchmark");
        if (slow.isEmpty()) {
            return;
        }
        md.append("## Slow storage: request-path cost when every commit takes ")
                .append(slow.get(0).params().getOrDefault("commitMillis", "?")).append(" ms (`SlowStorageBenchmark`)\n\n");
        md.append("| system | mean us | p50 us | p99 us | p99.9 us | samples | dropped |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (String system : new String[] {"syncInsert", "ringlog"}) {
            results.find("SlowStorageBenchmark", system, "sample", 0, Map.of()).ifPresent(r -> md.append("| `")
                    .append(system).append("` | ").append(Cells.mean(r)).append(" | ").append(fmt(r.percentile(50)))
                    .append(" | ").append(fmt(r.percentile(99))).append(" | ").append(fmt(r.percentile(99.9)))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", r.samples()))
                    .append(" | ").append(system.equals("ringlog") ? fmt(orZero(r.secondary("dropped"))) : "cannot drop")
                    .append(" |\n"));
        }
        md.append('\n');
    }

    static void publishPath(StringBuilder md, JmhResults results) {
        List<Result> path = results.of("PublishPathBenchmark");
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
                md.append(' ').append(results.find("PublishPathBenchmark", method, "avgt", t, Map.of())
                        .map(Cells::mean).orElse("–")).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    static void requestLog(StringBuilder md, JmhResults results) {
        List<Result> log = results.of("RequestLogFilterBenchmark");
        if (log.isEmpty()) {
            return;
        }
        String clazz = "RequestLogFilterBenchmark";
        double nothing = results.find(clazz, "nothing", "avgt", 0, Map.of()).map(Result::score).orElse(Double.NaN);
        md.append("## Request logging: `RequestLogFilter.doFilter` against a filter that does nothing (`RequestLogFilterBenchmark`)\n\n")
                .append("| filter | mean ns/op ± 99.9% CI | added over `nothing` | p50 ns | p99 ns | B/op |\n|---|---:|---:|---:|---:|---:|\n");
        for (String method : log.stream().map(Result::method).distinct().toList()) {
            Optional<Result> avgt = results.find(clazz, method, "avgt", 0, Map.of());
            Optional<Result> sample = results.find(clazz, method, "sample", 0, Map.of());
            md.append("| `").append(method).append("` | ")
                    .append(avgt.map(Cells::mean).orElse("–")).append(" | ")
                    .append(avgt.map(r -> fmt(r.score() - nothing)).orElse("–")).append(" | ")
                    .append(sample.map(r -> fmt(r.percentile(50))).orElse("–")).append(" | ")
                    .append(sample.map(r -> fmt(r.percentile(99))).orElse("–")).append(" | ")
                    .append(avgt.map(r -> fmt(r.secondary("gc.alloc.rate.norm"))).orElse("–")).append(" |\n");
        }
        md.append('\n');
    }
}
