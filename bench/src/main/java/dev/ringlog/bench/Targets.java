package dev.ringlog.bench;

import static dev.ringlog.bench.Cells.fmt;
import static dev.ringlog.bench.Cells.ratioRow;
import static dev.ringlog.bench.JmhResults.medianEventsPerSecond;

import dev.ringlog.bench.JmhResults.Result;
import java.util.Map;
import java.util.Optional;

/**
 * The section {@code ## Targets} of {@code results.md}: every target of issue 10, then issue 3's, each a ratio
 * measured in this run with its verdict, "met" or "missed by" a factor. {@code bench/run} prints this section.
 */
final class Targets {

    private Targets() {
    }

    static void append(StringBuilder md, JmhResults results) {
        md.append("## Targets\n\nPublish latencies net of the think time (see above); end to end, median events/s. "
                + "Issue 10's targets first, then issue 3's.\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (int threads : results.publishThreads()) {
            publishRow(md, results, threads, 50, "disruptorRaw", "1.1 x disruptorRaw p50", 1.1);
            publishRow(md, results, threads, 99, "disruptorRaw", "1.1 x disruptorRaw p99", 1.1);
        }
        for (String db : results.databases()) {
            for (String producers : results.producers()) {
                String where = db + ", " + producers + "p";
                Optional<Result> rl = results.e2e("ringlog", db, producers);
                Optional<Result> ceiling = ceiling(results, db);
                if (rl.isPresent() && ceiling.isPresent()) {
                    ratioRow(md, where + ": ringlog >= 0.9 x the fastest raw path (" + ceiling.get().method() + ")",
                            medianEventsPerSecond(rl.get()), medianEventsPerSecond(ceiling.get()), 0.9, false);
                }
                results.e2e("log4j2JdbcAppender", db, producers).ifPresent(l4j -> rl.ifPresent(r -> ratioRow(md,
                        where + ": ringlog >= 1.5 x log4j2JdbcAppender", medianEventsPerSecond(r), medianEventsPerSecond(l4j), 1.5, false)));
                results.e2e("queueAndThreadSameSql", db, producers).ifPresent(q -> rl.ifPresent(r -> ratioRow(md,
                        where + ": ringlog >= 1.0 x queueAndThreadSameSql", medianEventsPerSecond(r), medianEventsPerSecond(q), 1.0, false)));
            }
        }
        for (int threads : results.publishThreads()) {
            publishRow(md, results, threads, 50, "log4j2AsyncLogger", "1/4 x log4j2AsyncLogger p50 (issue 3)", 0.25);
            publishRow(md, results, threads, 99, "arrayBlockingQueue", "1/5 x arrayBlockingQueue p99 (issue 3)", 0.2);
            results.find("PublishBenchmark", "ringlog", "avgt", threads, Map.of()).ifPresent(r -> {
                double b = r.secondary("gc.alloc.rate.norm");
                if (!Double.isNaN(b)) {
                    md.append("| ").append(threads).append("t: ringlog 0 B/op (issue 3) | ").append(fmt(b))
                            .append(" B/op | ").append(b < 1 ? "met (< 1 B/op: no allocation per event)" : "**missed**").append(" |\n");
                }
            });
        }
        Optional<Result> sync = results.find("SlowStorageBenchmark", "syncInsert", "sample", 0, Map.of());
        Optional<Result> rl = results.find("SlowStorageBenchmark", "ringlog", "sample", 0, Map.of());
        if (sync.isPresent() && rl.isPresent()) {
            double ratio = sync.get().score() / rl.get().score();
            md.append("| slow storage: ringlog request-path cost >= 1000 x lower than sync insert (means, issue 3) | ")
                    .append(fmt(sync.get().score())).append(" us / ").append(fmt(rl.get().score())).append(" us = ")
                    .append(fmt(ratio)).append(" x | ").append(ratio >= 1000 ? "met" : "**missed**").append(" |\n");
        }
        md.append('\n');
    }

    /** "&lt;threads&gt;t: ringlog p&lt;pct&gt; &lt;= &lt;bound&gt;": ringlog's net percentile over {@code peer}'s, if both ran. */
    private static void publishRow(StringBuilder md, JmhResults results, int threads, double pct, String peer, String bound,
                                   double limit) {
        Optional<Double> rl = net(results, "ringlog", threads, pct);
        Optional<Double> other = net(results, peer, threads, pct);
        if (rl.isPresent() && other.isPresent()) {
            ratioRow(md, threads + "t: ringlog p" + Cells.fmtPct(pct) + " <= " + bound, rl.get(), other.get(), limit, true);
        }
    }

    /**
     * The end-to-end ceiling of {@code db}: the fastest raw single-connection path measured in this run,
     * {@code rawFastest} or the plain batch {@code rawBatchInsert}, whichever was faster (on H2 and MariaDB
     * the plain batch may beat the multi-row statements).
     */
    static Optional<Result> ceiling(JmhResults results, String db) {
        Optional<Result> fastest = results.e2e("rawFastest", db, "1");
        Optional<Result> batch = results.e2e("rawBatchInsert", db, "1");
        if (fastest.isEmpty() || batch.isEmpty()) {
            return fastest.isPresent() ? fastest : batch;
        }
        return medianEventsPerSecond(batch.get()) > medianEventsPerSecond(fastest.get()) ? batch : fastest;
    }

    /** A PublishBenchmark percentile of {@code system} minus the median of {@code pacing} (0 if that is missing). */
    static Optional<Double> net(JmhResults results, String system, int threads, double pct) {
        double pace = results.find("PublishBenchmark", PublishTables.PACING, "sample", threads, Map.of())
                .map(r -> r.percentile(50)).orElse(0.0);
        return results.find("PublishBenchmark", system, "sample", threads, Map.of()).map(r -> r.percentile(pct) - pace);
    }
}
