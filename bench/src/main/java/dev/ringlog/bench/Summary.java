package dev.ringlog.bench;

import static dev.ringlog.bench.Cells.fmt;
import static dev.ringlog.bench.JmhResults.medianEventsPerSecond;

import dev.ringlog.bench.JmhResults.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code summary.md}: the README's first screen, from the same results as {@code results.md}: publish p50
 * and p99 at 1 and 2 producers, end-to-end rates per database, issue 10's end-to-end ratios with their
 * verdicts, and the offered-load sweep's maximum sustainable rates. The README copies it as it is, so
 * that every number there comes from one {@code bench/run}.
 */
final class Summary {

    private static final Map<String, String> PUBLISH = Map.of(
            "ringlog", "ringlog `publish`",
            "disruptorRaw", "raw Disruptor 4 `tryPublishEvent` (no ringlog layer)",
            "arrayBlockingQueue", "`ArrayBlockingQueue.offer` + a drainer thread",
            "log4j2AsyncLogger", "Log4j2 all-async logger (`Sleep` wait)",
            "logbackAsyncAppender", "Logback `AsyncAppender`",
            "syncJdbcInsert", "synchronous insert + commit into H2",
            "pacing", "*the think time alone (`pacing`, net of its own median): the noise floor*");
    private static final List<String[]> E2E = List.of(
            new String[] {"ringlog", "ringlog with `JdbcSink`"},
            new String[] {"queueAndThreadSameSql", "queue + thread, ringlog's SQL (COPY on PostgreSQL)"},
            new String[] {"queueAndThread", "queue + thread, plain `INSERT` batches"},
            new String[] {"log4j2JdbcAppender", "Log4j2 async + `JdbcAppender` (`bufferSize` 1000)"},
            new String[] {"rawBatchInsert", "raw: one thread, pre-built plain `INSERT` batches"},
            new String[] {"rawFastest", "raw fastest: PostgreSQL `COPY`; H2, MariaDB 100-row `INSERT`s"});
    private static final Map<String, String> DATABASES = Map.of("h2", "H2 file", "postgresql", "PostgreSQL", "mariadb", "MariaDB");

    private Summary() {
    }

    static void write(Path dir, JmhResults results) throws IOException {
        StringBuilder md = new StringBuilder();
        publish(md, results);
        endToEnd(md, results);
        List<OfferedLoad.Summary> offered = OfferedLoad.summaries(dir);
        if (!offered.isEmpty()) {
            md.append("Offered load (`OfferedLoad`): the highest offered rate at which the median over repetitions of p99.9 "
                    + "stays under 1 ms with < 0.01% dropped, latency from each publish's intended start:\n\n");
            OfferedLoad.maxSustainable(md, offered);
            md.append('\n');
        }
        Files.writeString(dir.resolve("summary.md"), md.toString());
    }

    private static void publish(StringBuilder md, JmhResults results) {
        List<Integer> threads = results.publishThreads();
        if (threads.isEmpty()) {
            return;
        }
        md.append("| publish, consumer keeping up (ns, net of the think time) |");
        for (int t : threads) {
            md.append(" p50, ").append(t).append(t == 1 ? " producer |" : " producers |").append(" p99, ").append(t)
                    .append(t == 1 ? " producer |" : " producers |");
        }
        md.append(" B/event (").append(threads.stream().map(t -> t + "").reduce((a, b) -> a + " / " + b).orElse(""))
                .append(threads.size() == 1 ? " producer) |" : " producers) |").append("\n|---|").append("---:|".repeat(2 * threads.size() + 1)).append('\n');
        for (String system : PublishTables.PUBLISH_ORDER) {
            if (results.find("PublishBenchmark", system, "sample", 0, Map.of()).isEmpty()) {
                continue;
            }
            md.append("| ").append(PUBLISH.get(system)).append(" |");
            StringBuilder bytes = new StringBuilder();
            for (int t : threads) {
                for (double p : new double[] {50, 99}) {
                    md.append(' ').append(Targets.net(results, system, t, p).map(Cells::fmt).orElse("–")).append(" |");
                }
                if (!system.equals(PublishTables.PACING)) {
                    Optional<Result> avgt = results.find("PublishBenchmark", system, "avgt", t, Map.of());
                    bytes.append(bytes.length() == 0 ? "" : " / ").append(avgt.map(r -> fmt(r.secondary("gc.alloc.rate.norm"))).orElse("–"));
                }
            }
            md.append(' ').append(bytes).append(" |\n");
        }
        md.append("\nringlog against the raw Disruptor (issue 10: at most 1.1x):");
        String sep = " ";
        for (int t : threads) {
            for (double p : new double[] {50, 99}) {
                Optional<Double> rl = Targets.net(results, "ringlog", t, p);
                Optional<Double> raw = Targets.net(results, "disruptorRaw", t, p);
                if (rl.isPresent() && raw.isPresent()) {
                    double ratio = rl.get() / raw.get();
                    md.append(sep).append(String.format(Locale.ROOT, "p%.0f %.2fx at %d %s (%s)", p, ratio, t,
                            t == 1 ? "producer" : "producers", Cells.verdict(ratio, 1.1, true)));
                    sep = ", ";
                }
            }
        }
        md.append(".\n\n");
    }

    private static void endToEnd(StringBuilder md, JmhResults results) {
        List<String> dbs = results.databases();
        if (dbs.isEmpty()) {
            return;
        }
        md.append("| 1,000,000 events, publish to committed row (median events/s) |");
        dbs.forEach(db -> md.append(' ').append(DATABASES.getOrDefault(db, db)).append(" |"));
        md.append("\n|---|").append("---:|".repeat(dbs.size())).append('\n');
        for (String producers : results.producers()) {
            for (String[] system : E2E) {
                if (!producers.equals("1") && dbs.stream().allMatch(db -> results.e2e(system[0], db, producers).isEmpty())) {
                    continue; // the raw ceilings have no producers
                }
                md.append("| ").append(system[1]).append(producers.equals("1") ? "" : ", " + producers + " producers").append(" |");
                for (String db : dbs) {
                    md.append(' ').append(results.e2e(system[0], db, producers).map(r -> fmt(medianEventsPerSecond(r))).orElse("–"))
                            .append(" |");
                }
                md.append('\n');
            }
        }
        md.append("\n| issue 10's end-to-end targets (ringlog, producers) |");
        dbs.forEach(db -> md.append(' ').append(DATABASES.getOrDefault(db, db)).append(" |"));
        md.append("\n|---|").append("---|".repeat(dbs.size())).append('\n');
        for (String producers : results.producers()) {
            ratios(md, results, dbs, producers, ">= 0.9 x the fastest raw path", 0.9, db -> Targets.ceiling(results, db));
            ratios(md, results, dbs, producers, ">= 1.5 x Log4j2 async + `JdbcAppender`", 1.5,
                    db -> results.e2e("log4j2JdbcAppender", db, producers));
            ratios(md, results, dbs, producers, ">= 1.0 x queue + thread with ringlog's SQL", 1.0,
                    db -> results.e2e("queueAndThreadSameSql", db, producers));
        }
        md.append('\n');
    }

    private static void ratios(StringBuilder md, JmhResults results, List<String> dbs, String producers, String target,
                               double bound, Function<String, Optional<Result>> peer) {
        md.append("| ").append(target).append(", ").append(producers).append(producers.equals("1") ? " producer |" : " producers |");
        for (String db : dbs) {
            Optional<Result> rl = results.e2e("ringlog", db, producers);
            Optional<Result> other = peer.apply(db);
            if (rl.isEmpty() || other.isEmpty()) {
                md.append(" – |");
                continue;
            }
            double ratio = medianEventsPerSecond(rl.get()) / medianEventsPerSecond(other.get());
            md.append(String.format(Locale.ROOT, " %.2f %s |", ratio, Cells.verdict(ratio, bound, false)));
        }
        md.append('\n');
    }
}
