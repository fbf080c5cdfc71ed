package dev.ringlog.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.openjdk.jmh.util.ListStatistics;
import org.openjdk.jmh.util.MultisetStatistics;

/**
 * The results in the JMH JSON files ({@code -rf json}) of one directory, bound to records that mirror JMH's
 * schema, and the look-ups the tables make. Statistics are JMH's own: {@link MultisetStatistics} over a
 * SampleTime histogram, as JMH computes {@code scorePercentiles}.
 */
final class JmhResults {

    /** Lenient: JMH writes a single iteration's error as the string {@code "NaN"}, which strict JSON forbids. */
    private static final Gson GSON = new GsonBuilder().setStrictness(Strictness.LENIENT).create();

    /** One element of JMH's JSON array: a benchmark method in one mode, with one set of params and thread count. */
    record Result(String benchmark, String mode, int threads, Map<String, String> params, Metric primaryMetric,
                  Map<String, Metric> secondaryMetrics) {

        Result {
            params = params == null ? Map.of() : params; // JMH leaves "params" out for a benchmark without @Param
        }

        /** The benchmark class's simple name. */
        String clazz() {
            String[] name = benchmark.split("\\.");
            return name[name.length - 2];
        }

        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        double score() {
            return primaryMetric.score();
        }

        double error() {
            return primaryMetric.scoreError();
        }

        /** JMH's p-th percentile over all measured iterations of all forks (SampleTime), NaN if it gave none. */
        double percentile(double p) {
            return primaryMetric.scorePercentiles().getOrDefault(p, Double.NaN);
        }

        /** The p-th percentile of each measured iteration of each fork, from JMH's histograms (SampleTime). */
        ListStatistics perIteration(double p) {
            ListStatistics out = new ListStatistics();
            iterations().forEach(s -> out.addValue(s.getPercentile(p)));
            return out;
        }

        /** How many samples JMH took in all measured iterations (SampleTime). */
        long samples() {
            return iterations().stream().mapToLong(MultisetStatistics::getN).sum();
        }

        /** A secondary metric's score ({@code -prof gc}, {@code @AuxCounters}), NaN if this result has none. */
        double secondary(String name) {
            Metric m = secondaryMetrics.get(name);
            return m == null ? Double.NaN : m.score();
        }

        /** The score of each measured iteration of each fork: the time of one invocation in SingleShotTime. */
        List<Double> iterationScores() {
            return Arrays.stream(primaryMetric.rawData()).flatMapToDouble(Arrays::stream).boxed().toList();
        }

        private List<MultisetStatistics> iterations() {
            List<MultisetStatistics> out = new ArrayList<>();
            for (double[][][] fork : primaryMetric.rawDataHistogram()) {
                for (double[][] iteration : fork) {
                    MultisetStatistics s = new MultisetStatistics();
                    for (double[] valueAndCount : iteration) {
                        s.addValue(valueAndCount[0], (long) valueAndCount[1]);
                    }
                    out.add(s);
                }
            }
            return out;
        }
    }

    /**
     * JMH's {@code primaryMetric} or one of its {@code secondaryMetrics}. {@code rawData} (every mode but
     * SampleTime): fork, iteration; {@code rawDataHistogram} (SampleTime only): fork, iteration, then [value, count].
     */
    record Metric(double score, double scoreError, String scoreUnit, Map<Double, Double> scorePercentiles,
                  double[][] rawData, double[][][][] rawDataHistogram) {

        Metric { // JMH writes one of the two
            rawData = rawData == null ? new double[0][] : rawData;
            rawDataHistogram = rawDataHistogram == null ? new double[0][][][] : rawDataHistogram;
        }
    }

    private final List<Result> all;

    private JmhResults(List<Result> all) {
        this.all = all;
    }

    /** Every result in the directory's {@code *.json} files that JMH wrote (other JSON there is skipped). */
    static JmhResults read(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<Result> out = new ArrayList<>();
        for (Path f : files) {
            JsonElement root;
            try (Reader r = Files.newBufferedReader(f)) {
                root = JsonParser.parseReader(r);
            }
            if (root.isJsonArray()) {
                for (JsonElement e : root.getAsJsonArray()) {
                    if (e.isJsonObject() && e.getAsJsonObject().has("benchmark")) { // not IdleCpu's, not OfferedLoad's
                        out.add(GSON.fromJson(e, Result.class));
                    }
                }
            }
        }
        return new JmhResults(out);
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    /** The results of one benchmark class, in file order. */
    List<Result> of(String clazz) {
        return all.stream().filter(r -> r.clazz().equals(clazz)).toList();
    }

    /** The first result that matches; {@code threads <= 0} matches any thread count, {@code params} a subset. */
    Optional<Result> find(String clazz, String method, String mode, int threads, Map<String, String> params) {
        return all.stream().filter(r -> r.clazz().equals(clazz) && r.method().equals(method)
                        && r.mode().equals(mode) && (threads <= 0 || r.threads() == threads)
                        && params.entrySet().stream().allMatch(p -> p.getValue().equals(r.params().get(p.getKey()))))
                .findFirst();
    }

    /** An EndToEndBenchmark result ({@code producers} "1" also matches results without the parameter). */
    Optional<Result> e2e(String system, String database, String producers) {
        return of("EndToEndBenchmark").stream().filter(r -> r.method().equals(system)
                && database.equals(r.params().get("database")) && producers.equals(r.params().getOrDefault("producers", "1")))
                .findFirst();
    }

    /** The thread counts PublishBenchmark ran with. */
    List<Integer> publishThreads() {
        return of("PublishBenchmark").stream().map(Result::threads).distinct().sorted().toList();
    }

    /** The databases EndToEndBenchmark ran against. */
    List<String> databases() {
        return of("EndToEndBenchmark").stream().map(r -> r.params().get("database")).distinct().sorted().toList();
    }

    /** The producer counts EndToEndBenchmark ran with ("1" for results without the parameter). */
    List<String> producers() {
        return of("EndToEndBenchmark").stream().map(r -> r.params().getOrDefault("producers", "1")).distinct().sorted().toList();
    }

    /** Events/s of each measured invocation of a SingleShotTime result (one invocation per iteration). */
    static ListStatistics eventsPerSecond(Result r) {
        double events = Double.parseDouble(r.params().getOrDefault("events", "1000000"));
        double seconds = unitSeconds(r.primaryMetric().scoreUnit());
        ListStatistics out = new ListStatistics();
        r.iterationScores().forEach(t -> out.addValue(events / (t * seconds)));
        return out;
    }

    /** The median events/s over the measured invocations. */
    static double medianEventsPerSecond(Result r) {
        return eventsPerSecond(r).getPercentile(50);
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
}
