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
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyBenchmarkRunsOneShortIterationAndTheResultsRender() throws Exception {
        boolean pg = BenchDatabase.postgresReachable();
        if (!pg && "1".equals(System.getenv("RINGLOG_REQUIRE_DB"))) {
            throw new AssertionError("RINGLOG_REQUIRE_DB=1 but PostgreSQL does not answer at " + BenchDatabase.pgUrl());
        }
        List<String> databases = new ArrayList<>(List.of(BenchDatabase.H2));
        if (pg) {
            databases.add(BenchDatabase.POSTGRESQL);
        } else {
            System.out.println("PostgreSQL does not answer at " + BenchDatabase.pgUrl() + ": its EndToEnd variant is skipped");
        }

        // PublishBenchmark in one mode (both run the same code, and every fork costs ~2 s), the one the chart needs.
        Collection<RunResult> publish = run(brief("PublishBenchmark").mode(Mode.SampleTime).threads(1), "publish-1t.json");
        assertEquals(7, publish.size(), "PublishBenchmark methods that produced a result (6 systems and pacing)");

        Collection<RunResult> e2e = run(brief("EndToEndBenchmark").param("events", "2000")
                .param("database", databases.toArray(String[]::new)), "e2e.json");
        assertEquals(6 * databases.size(), e2e.size(), "EndToEndBenchmark results");

        Collection<RunResult> journal = run(brief("JournalBenchmark").param("events", "2000"), "journal.json");
        assertEquals(8, journal.size(), "JournalBenchmark results (publish and endToEnd, journal off and three sync policies)");

        Collection<RunResult> slow = run(brief("SlowStorageBenchmark"), "slow-storage.json");
        assertEquals(2, slow.size(), "SlowStorageBenchmark results");

        // In this JVM (forks 0) and 20 ms each: it needs no JVM flags, and a fork would cost more than the run.
        Collection<RunResult> path = run(brief("PublishPathBenchmark").forks(0).measurementTime(TimeValue.milliseconds(20)),
                "publish-path.json");
        assertEquals(5, path.size(), "PublishPathBenchmark results");

        IdleCpu.main(new String[] {"0.2", results.resolve("idle-cpu.json").toString()});
        ChartRenderer.main(new String[] {results.toString()});
        String md = Files.readString(results.resolve("results.md"));
        assertTrue(md.contains("## Targets"), md);
        assertFalse(md.contains("NaN"), md);
        assertTrue(Files.size(results.resolve("publish-latency-1t.png")) > 0);
        assertTrue(Files.size(results.resolve("e2e-throughput.png")) > 0);
    }

    private ChainedOptionsBuilder brief(String benchmark) {
        return new OptionsBuilder()
                .include("dev\\.ringlog\\.bench\\." + benchmark + "\\.")
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
