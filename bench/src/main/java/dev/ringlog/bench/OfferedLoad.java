package dev.ringlog.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import dev.ringlog.LogEvent;
import dev.ringlog.bench.BenchEvents.QueuedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Publish latency under a fixed offered load ({@code bench/run --offered-load}): for each system, 1, 2
 * and 4 producer threads and each offered rate (100k, 250k, 500k, 1M, 2M events/s, then doubling
 * until the system saturates), the producers publish on a schedule and each publish's latency is
 * measured from its <em>intended</em> start time, not from when it actually started: a producer held
 * up by a slow publish is late for the next ones, and that lateness is counted (no coordinated
 * omission, as in HdrHistogram's and the Disruptor's own latency tests). Latencies go into an
 * HdrHistogram per producer (3 significant digits), merged per point; drops are counted (a refused
 * publish, or for Logback, which drops silently, the events its appender never received).
 *
 * <p>Each point: a fresh instance of the system (Log4j2: one context per JVM), 0.5 s of warmup, then
 * {@code seconds} measured; a producer more than {@code seconds} behind its schedule stops (saturated).
 * bench/run repeats the sweep (three times, interleaved across systems) and {@link Summary} takes the
 * median of each point's repetitions. A point is <b>sustained</b> when fewer than 0.01% of its events
 * were dropped and its median p99.9 stays under 1 ms; the maximum sustainable rate is the highest
 * sustained offered rate. Rates above 2M/s are tried only while the previous one was sustained in that
 * repetition.
 *
 * <p>One JVM per system (Log4j2 needs its flags before it starts):
 * {@code java [Log4j2 flags] -cp benchmarks.jar dev.ringlog.bench.OfferedLoad <system> <seconds> <out.json>};
 * then {@code OfferedLoad --render <dir>} merges every {@code offered-load-*.json} there into
 * {@code offered-load.md} and {@code offered-load.png}.
 */
public final class OfferedLoad {

    static final String[] SYSTEMS = {"ringlog", "disruptorRaw", "log4j2AsyncLogger", "logbackAsyncAppender", "arrayBlockingQueue"};
    static final long[] BASE_RATES = {100_000, 250_000, 500_000, 1_000_000, 2_000_000};
    static final long MAX_RATE = 16_000_000;
    static final int[] THREADS = {1, 2, 4};
    /** The warmup of a point: half a second, or half the measured time if that is shorter (smoke runs). */
    static final long MAX_WARMUP_NANOS = 500_000_000L;
    static final double MAX_DROP_FRACTION = 0.0001;
    static final double MAX_P999_US = 1_000;

    /** The rule for a sustained rate: fewer than 0.01% of the events dropped and p99.9 under 1 ms. */
    static boolean sustained(long events, long dropped, double p999) {
        return events > 0 && dropped <= MAX_DROP_FRACTION * events && p999 <= MAX_P999_US;
    }

    /** One measured point (one repetition). */
    record Point(String system, int threads, long offered, double achieved, long events, long dropped,
                 double p50, double p99, double p999, double max, boolean sustained) {
    }

    /** A system under test: publish one event (false: dropped), then stop and say what it dropped silently. */
    interface Target {
        boolean publish();

        /** Stops the system; returns the drops {@link #publish} could not see (Logback), else 0. */
        long stop() throws Exception;
    }

    private OfferedLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--render")) {
            render(Path.of(args[1]));
            return;
        }
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: OfferedLoad <system> <seconds per point> <out.json> | --render <dir>");
        }
        String system = args[0];
        long measureNanos = (long) (Double.parseDouble(args[1]) * 1e9);
        List<Point> points = new ArrayList<>();
        PublishBenchmark.Log4j2Async log4j = null;
        if (system.equals("log4j2AsyncLogger")) {
            log4j = new PublishBenchmark.Log4j2Async();
            log4j.start();
        }
        for (int threads : THREADS) {
            boolean sustained = true;
            for (long rate = BASE_RATES[0]; rate <= MAX_RATE && (sustained || rate <= BASE_RATES[BASE_RATES.length - 1]);
                 rate = next(rate)) {
                Point p = measure(system, log4j, threads, rate, measureNanos);
                points.add(p);
                sustained = p.sustained();
                System.out.printf(Locale.ROOT, "%-22s %dt %,11d/s offered %,13.0f/s achieved p50 %8.2f p99 %9.2f"
                                + " p99.9 %10.2f max %11.2f us, %,d dropped%s%n", system, threads, rate, p.achieved(),
                        p.p50(), p.p99(), p.p999(), p.max(), p.dropped(), p.sustained() ? "" : "  (not sustained)");
            }
        }
        if (log4j != null) {
            log4j.stop();
        }
        Files.writeString(Path.of(args[2]), new GsonBuilder().setPrettyPrinting().create().toJson(points));
    }

    /** The offered rates in order: the base rates, then doubling. */
    private static long next(long rate) {
        for (long r : BASE_RATES) {
            if (r > rate) {
                return r;
            }
        }
        return rate * 2;
    }

    static Target start(String system, PublishBenchmark.Log4j2Async log4j) {
        String type = BenchEvents.TYPE;
        String actor = BenchEvents.ACTOR;
        String payload = BenchEvents.PAYLOAD;
        switch (system) {
            case "ringlog" -> {
                PublishBenchmark.Ringlog s = new PublishBenchmark.Ringlog();
                s.start();
                return target(() -> s.log.publish(LogEvent::set, type, actor, payload), () -> {
                    s.stop();
                    return 0;
                });
            }
            case "disruptorRaw" -> {
                PublishBenchmark.DisruptorRaw s = new PublishBenchmark.DisruptorRaw();
                s.start();
                return target(() -> s.ring.tryPublishEvent(PublishBenchmark.DisruptorRaw.SET, type, actor, payload), () -> {
                    s.stop();
                    return 0;
                });
            }
            case "arrayBlockingQueue" -> {
                PublishBenchmark.Abq s = new PublishBenchmark.Abq();
                s.start();
                return target(() -> s.queue.offer(new QueuedEvent(0, BenchEvents.nowMicros(), type, actor, payload)), () -> {
                    s.stop();
                    return 0;
                });
            }
            case "log4j2AsyncLogger" -> {
                return target(() -> {
                    log4j.logger.info("{} {} {}", type, actor, payload);
                    return true; // its queue-full policy waits: it never drops
                }, () -> 0);
            }
            case "logbackAsyncAppender" -> {
                PublishBenchmark.LogbackAsync s = new PublishBenchmark.LogbackAsync();
                s.start();
                java.util.concurrent.atomic.LongAdder logged = new java.util.concurrent.atomic.LongAdder();
                return target(() -> {
                    s.logger.info("{} {} {}", type, actor, payload);
                    logged.increment();
                    return true; // neverBlock drops silently: counted at stop
                }, () -> {
                    s.async.stop(); // drains its queue (maxFlushTime)
                    long dropped = logged.sum() - s.noop.appended;
                    s.context.stop();
                    return dropped;
                });
            }
            default -> throw new IllegalArgumentException("system must be one of " + String.join(", ", SYSTEMS) + ": " + system);
        }
    }

    @FunctionalInterface
    interface Stop {
        long stop() throws Exception;
    }

    private static Target target(java.util.function.BooleanSupplier publish, Stop stop) {
        return new Target() {
            @Override
            public boolean publish() {
                return publish.getAsBoolean();
            }

            @Override
            public long stop() throws Exception {
                return stop.stop();
            }
        };
    }

    /** Runs one point: {@code threads} producers at {@code rate} events/s in total. */
    static Point measure(String system, PublishBenchmark.Log4j2Async log4j, int threads, long rate, long measureNanos)
            throws Exception {
        Target target = start(system, log4j);
        long warmup = Math.min(MAX_WARMUP_NANOS, measureNanos / 2);
        long interval = threads * 1_000_000_000L / rate; // per producer, in ns
        Histogram[] histograms = new Histogram[threads];
        long[] refused = new long[threads];
        long[] counted = new long[threads];
        CyclicBarrier ready = new CyclicBarrier(threads + 1);
        long[] start = new long[1];
        boolean spinYields = threads >= Runtime.getRuntime().availableProcessors();
        Thread[] producers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            histograms[t] = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            producers[t] = new Thread(() -> {
                try {
                    ready.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    return;
                }
                Histogram h = histograms[id];
                long begin = start[0] + id * interval / threads; // producers staggered over one interval
                long measureFrom = begin + warmup;
                long end = measureFrom + measureNanos;
                for (long i = 0; ; i++) {
                    long intended = begin + i * interval;
                    if (intended >= end) {
                        break;
                    }
                    long now;
                    while ((now = System.nanoTime()) < intended) {
                        // More producers than cores: let the others (and the consumer) run while waiting.
                        if (intended - now > 50_000) {
                            LockSupport.parkNanos(intended - now - 50_000);
                        } else if (spinYields) {
                            Thread.yield();
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                    boolean accepted = target.publish();
                    long done = System.nanoTime();
                    if (intended >= measureFrom) {
                        h.recordValue(Math.min(done - intended, h.getHighestTrackableValue()));
                        counted[id]++;
                        if (!accepted) {
                            refused[id]++;
                        }
                    }
                    if (done > end + measureNanos) {
                        break; // saturated: too far behind its schedule to catch up; the achieved rate says so
                    }
                }
            }, "offered-" + t);
            producers[t].start();
        }
        start[0] = System.nanoTime() + 20_000_000L; // all producers ready by then
        ready.await(10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        for (Thread p : producers) {
            p.join(TimeUnit.NANOSECONDS.toMillis(warmup + 2 * measureNanos) + 60_000);
        }
        long elapsed = System.nanoTime() - t0;
        long silentDrops = target.stop();
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long events = 0;
        long dropped = silentDrops;
        for (int t = 0; t < threads; t++) {
            all.add(histograms[t]);
            events += counted[t];
            dropped += refused[t];
        }
        // Silent drops cover the warmup too: scale them to the measured share of the events.
        if (silentDrops > 0) {
            dropped = dropped - silentDrops + Math.round(silentDrops * (double) measureNanos / (warmup + measureNanos));
        }
        double p50 = all.getValueAtPercentile(50) / 1e3;
        double p99 = all.getValueAtPercentile(99) / 1e3;
        double p999 = all.getValueAtPercentile(99.9) / 1e3;
        double max = all.getMaxValue() / 1e3;
        double achieved = events / ((elapsed - (double) warmup) / 1e9);
        return new Point(system, threads, rate, achieved, events, dropped, p50, p99, p999, max, sustained(events, dropped, p999));
    }

    // ---------------------------------------------------------------- rendering

    /**
     * One point over its repetitions: the median of each percentile across the sweeps that measured it
     * (one bench/run sweep per repetition, interleaved across systems, so that a noisy stretch of the VM
     * hits every system alike), the range of p99.9 over them, and every drop. A single second of a 2-core
     * VM often holds one scheduler stall of 2-5 ms, which alone puts that second's p99.9 over 1 ms for any
     * system: the median over repetitions judges the system rather than the stall.
     */
    record Summary(String system, int threads, long offered, int repetitions, double achieved, long events, long dropped,
                   double p50, double p99, double p999, double p999Min, double p999Max, double max) {

        static Summary of(List<Point> reps) {
            Point first = reps.get(0);
            ListStatistics p999 = stats(reps, Point::p999);
            return new Summary(first.system(), first.threads(), first.offered(), reps.size(),
                    stats(reps, Point::achieved).getPercentile(50), reps.stream().mapToLong(Point::events).sum(),
                    reps.stream().mapToLong(Point::dropped).sum(), stats(reps, Point::p50).getPercentile(50),
                    stats(reps, Point::p99).getPercentile(50), p999.getPercentile(50), p999.getMin(), p999.getMax(),
                    stats(reps, Point::max).getPercentile(50));
        }

        boolean sustained() {
            return OfferedLoad.sustained(events, dropped, p999);
        }

        private static ListStatistics stats(List<Point> reps, ToDoubleFunction<Point> f) {
            ListStatistics s = new ListStatistics();
            reps.forEach(p -> s.addValue(f.applyAsDouble(p)));
            return s;
        }
    }

    /** Every point of the {@code offered-load-*.json} files in {@code dir}, over its repetitions; empty if there are none. */
    static List<Summary> summaries(Path dir) throws IOException {
        List<Point> points = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("offered-load-.*\\.json")).sorted().toList();
        }
        for (Path f : files) {
            points.addAll(new Gson().fromJson(Files.readString(f), new TypeToken<List<Point>>() { }.getType()));
        }
        List<Summary> summaries = new ArrayList<>();
        for (String system : SYSTEMS) {
            for (int threads : THREADS) {
                points.stream().filter(p -> p.system().equals(system) && p.threads() == threads)
                        .collect(Collectors.groupingBy(Point::offered, TreeMap::new, Collectors.toList()))
                        .values().forEach(reps -> summaries.add(Summary.of(reps)));
            }
        }
        return summaries;
    }

    /** The table of each system's highest sustained offered rate per producer count. */
    static void maxSustainable(StringBuilder md, List<Summary> summaries) {
        md.append("| system | 1 producer | 2 producers | 4 producers |\n|---|---:|---:|---:|\n");
        for (String system : SYSTEMS) {
            if (summaries.stream().noneMatch(p -> p.system().equals(system))) {
                continue;
            }
            md.append("| `").append(system).append("` |");
            for (int threads : THREADS) {
                long best = summaries.stream().filter(p -> p.system().equals(system) && p.threads() == threads && p.sustained())
                        .mapToLong(Summary::offered).max().orElse(0);
                md.append(best == 0 ? " none sustained" : String.format(Locale.ROOT, " %,d/s", best)).append(" |");
            }
            md.append('\n');
        }
    }

    static void render(Path dir) throws IOException {
        List<Summary> summaries = summaries(dir);
        if (summaries.isEmpty()) {
            throw new IllegalStateException("no offered-load-*.json in " + dir.toAbsolutePath());
        }
        StringBuilder md = new StringBuilder("## Publish latency under offered load (`OfferedLoad`)\n\n"
                + "Latency from each publish's intended start time (no coordinated omission), us; drops counted. "
                + "Each point is the median over its repetitions (n; one sweep per repetition, interleaved across systems), "
                + "p99.9 with its range over them. Sustained: < 0.01% dropped and median p99.9 < 1 ms.\n\n"
                + "| system | producers | offered/s | n | achieved/s | p50 | p99 | p99.9 [range] | max | dropped |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Summary p : summaries) {
            md.append(String.format(Locale.ROOT, "| `%s` | %d | %,d | %d | %,.0f | %.2f | %.2f | %.2f [%.2f–%.2f] | %.2f | %,d%s |%n",
                    p.system(), p.threads(), p.offered(), p.repetitions(), p.achieved(), p.p50(), p.p99(), p.p999(),
                    p.p999Min(), p.p999Max(), p.max(), p.dropped(), p.sustained() ? "" : " (not sustained)"));
        }
        md.append("\n### Maximum sustainable offered rate\n\n");
        maxSustainable(md, summaries);
        XYChart chart = new XYChartBuilder().width(1100).height(650)
                .title("p99 publish latency vs offered rate (intended start times, median of repetitions; lower is better)")
                .xAxisTitle("offered events/s (all producers)").yAxisTitle("p99 latency, us").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        for (String system : SYSTEMS) {
            for (int threads : THREADS) {
                // A point with no measured event (its producers never got past the warmup) has no latency to plot.
                List<Summary> series = summaries.stream()
                        .filter(p -> p.system().equals(system) && p.threads() == threads && p.events() > 0).toList();
                if (!series.isEmpty()) {
                    chart.addSeries(system + ", " + threads + "p", series.stream().mapToDouble(Summary::offered).toArray(),
                            series.stream().mapToDouble(p -> Math.max(p.p99(), 0.01)).toArray()).setMarker(SeriesMarkers.CIRCLE);
                }
            }
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve("offered-load.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        md.append("\n![p99 publish latency vs offered rate](offered-load.png)\n");
        Files.writeString(dir.resolve("offered-load.md"), md.toString());
        System.out.println("wrote " + dir.resolve("offered-load.md"));
    }
}
