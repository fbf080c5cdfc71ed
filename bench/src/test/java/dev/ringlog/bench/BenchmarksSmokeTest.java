package dev.ringlog.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, very briefly, in a forked JVM as JMH does, so that a benchmark that
 * throws (a setup that fails, a teardown that finds rows missing) fails the build. The numbers are
 * meaningless. PostgreSQL variants run when the server answers, and must when {@code RINGLOG_REQUIRE_DB=1}
 * (as CI sets it). Also renders the results, so the renderer is checked with real JMH JSON.
 */
class BenchmarksSmokeTest {

    @TempDir
    Path results;

    @Test
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void everyBenchmarkRunsOneShortIterationAndTheResultsRender() throws Exception {
        List<String> databases = new ArrayList<>(List.of(BenchDatabase.H2));
        for (String server : List.of(BenchDatabase.POSTGRESQL, BenchDatabase.MARIADB)) {
            if (BenchDatabase.reachable(server)) {
                databases.add(server);
            } else if ("1".equals(System.getenv("RINGLOG_REQUIRE_DB"))) {
                throw new AssertionError("RINGLOG_REQUIRE_DB=1 but " + server + " does not answer at " + BenchDatabase.url(server));
            } else {
                System.out.println(server + " does not answer at " + BenchDatabase.url(server) + ": its variants are skipped");
            }
        }

        // PublishBenchmark in one mode (both run the same code, and every fork costs ~2 s), the one the chart needs.
        Collection<RunResult> publish = run(brief("PublishBenchmark").mode(Mode.SampleTime).threads(1), "publish-1t.json");
        assertEquals(7, publish.size(), "PublishBenchmark methods that produced a result (6 systems and pacing)");

        Collection<RunResult> e2e = run(brief("EndToEndBenchmark").param("events", "2000")
                .param("database", databases.toArray(String[]::new)), "e2e.json");
        assertEquals(6 * databases.size(), e2e.size(), "EndToEndBenchmark results");
        Collection<RunResult> e2e4 = run(matching("EndToEndBenchmark\\.(ringlog|queueAndThreadSameSql|log4j2JdbcAppender)$")
                .param("events", "2000").param("database", BenchDatabase.H2).param("producers", "4"), "e2e-4p.json");
        assertEquals(3, e2e4.size(), "EndToEndBenchmark results at 4 producers");

        // In this JVM, as PublishPathBenchmark below; COPY where it exists.
        int paths = 0;
        for (String db : databases) {
            String[] of = db.equals(BenchDatabase.POSTGRESQL)
                    ? new String[] {"JDBC_BATCH", "MULTI_ROW", "POSTGRES_COPY"} : new String[] {"JDBC_BATCH", "MULTI_ROW"};
            paths += run(brief("WritePathBenchmark").forks(0).param("database", db).param("path", of),
                    "write-path-" + db + ".json").size();
        }
        assertEquals(2 * databases.size() + (databases.contains(BenchDatabase.POSTGRESQL) ? 1 : 0), paths, "WritePathBenchmark results");

        // The appender peers' schemas (Logback's DBAppender's above all) exist for H2 and PostgreSQL only.
        String[] appenderDatabases = databases.stream().filter(db -> !db.equals(BenchDatabase.MARIADB)).toArray(String[]::new);
        Collection<RunResult> appenders = run(brief("AppenderBenchmark").param("events", "200")
                .param("database", appenderDatabases), "appenders.json");
        assertEquals(4 * appenderDatabases.length, appenders.size(), "AppenderBenchmark results");

        Collection<RunResult> journal = run(brief("JournalBenchmark").param("events", "2000"), "journal.json");
        assertEquals(8, journal.size(), "JournalBenchmark results (publish and endToEnd, journal off and three sync policies)");

        Collection<RunResult> slow = run(brief("SlowStorageBenchmark"), "slow-storage.json");
        assertEquals(2, slow.size(), "SlowStorageBenchmark results");

        // In this JVM (forks 0) and 20 ms each: it needs no JVM flags, and a fork would cost more than the run.
        Collection<RunResult> path = run(brief("PublishPathBenchmark").forks(0).measurementTime(TimeValue.milliseconds(20)),
                "publish-path.json");
        assertEquals(5, path.size(), "PublishPathBenchmark results");

        // In this JVM too, in both of its modes (the results table uses both).
        Collection<RunResult> requestLog = run(brief("RequestLogFilterBenchmark").forks(0)
                .measurementTime(TimeValue.milliseconds(20)), "request-log.json");
        assertEquals(4 * 2, requestLog.size(), "RequestLogFilterBenchmark results (4 methods x avgt, sample)");
        Collection<RunResult> multisink = run(brief("MultiSinkBenchmark").param("events", "2000"), "multisink.json");
        assertEquals(5, multisink.size(), "MultiSinkBenchmark results: publish and endToEnd, each with db and db_file; pacing");

        IdleCpu.main(new String[] {"0.2", results.resolve("idle-cpu.json").toString()});
        // Log4j2 needs its flags before it starts (bench/run gives them): the other systems here, 10 ms per point.
        for (String system : new String[] {"ringlog", "disruptorRaw", "logbackAsyncAppender", "arrayBlockingQueue"}) {
            OfferedLoad.main(new String[] {system, "0.01", results.resolve("offered-load-" + system + ".json").toString()});
        }
        OfferedLoad.main(new String[] {"--render", results.toString()});
        assertTrue(Files.readString(results.resolve("offered-load.md")).contains("| `ringlog` | 4 |"));
        assertTrue(Files.size(results.resolve("offered-load.png")) > 0);
        ChartRenderer.main(new String[] {results.toString()});
        String md = Files.readString(results.resolve("results.md"));
        assertTrue(md.contains("## Targets"), md);
        assertTrue(md.contains("## Request logging"), md);
        assertTrue(md.contains("## Several sinks"), md);
        assertTrue(md.contains("WritePathBenchmark"), md);
        assertTrue(md.contains("h2, 4p: ringlog >= 1.0 x"), md);
        assertTrue(md.contains("## The journal"), md);
        assertFalse(md.contains("NaN"), md);
        String summary = Files.readString(results.resolve("summary.md"));
        assertTrue(summary.contains("| ringlog `publish` |") && summary.contains(">= 0.9 x the fastest raw path, 4 producers")
                && summary.contains("| `ringlog` |"), summary);
        assertFalse(summary.contains("NaN"), summary);
        assertTrue(Files.size(results.resolve("publish-latency-1t.png")) > 0);
        assertTrue(Files.size(results.resolve("e2e-throughput.png")) > 0);
    }

    /** KafkaBenchmark apart: each of its forks starts a Kafka cluster (seconds, more on a loaded machine). */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void theKafkaBenchmarkRunsOneShortIteration() throws Exception {
        Collection<RunResult> kafka = run(brief("KafkaBenchmark").param("events", "2000"), "kafka.json");
        assertEquals(5, kafka.size(), "KafkaBenchmark results (end to end and publish, ringlog and the raw producer; pacing)");
    }

    private ChainedOptionsBuilder brief(String benchmark) {
        return matching(benchmark + "\\.");
    }

    /** The benchmarks whose name after {@code dev.ringlog.bench.} matches {@code regex}, run briefly. */
    private ChainedOptionsBuilder matching(String regex) {
        return new OptionsBuilder()
                .include("dev\\.ringlog\\.bench\\." + regex)
                .forks(1)
                // C1 only: the forks start and set up faster, and nothing here is measured. Prepend, not
                // append: an appended option would replace the benchmarks' own jvmArgsAppend (the Log4j2 flags).
                .jvmArgsPrepend("-XX:TieredStopAtLevel=1")
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true);
    }

    private Collection<RunResult> run(ChainedOptionsBuilder options, String json) throws RunnerException {
        return new Runner(options.resultFormat(ResultFormatType.JSON).result(results.resolve(json).toString()).build()).run();
    }
}
