package dev.ringlog.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.bench.JmhResults.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.util.ListStatistics;

/** Reading JMH's JSON as JMH writes it: its "NaN" strings, its histograms, and the other JSON beside it. */
class JmhResultsTest {

    @TempDir
    Path dir;

    /** A SampleTime result of one fork and two iterations, shaped as JMH 1.37 writes it (fields trimmed). */
    private static final String SAMPLE = """
            [{"jmhVersion": "1.37", "benchmark": "dev.ringlog.bench.PublishBenchmark.ringlog", "mode": "sample",
              "threads": 2, "forks": 1,
              "primaryMetric": {"score": 150.0, "scoreError": "NaN", "scoreConfidence": ["NaN", "NaN"],
                "scorePercentiles": {"50.0": 100.0, "99.0": 400.0}, "scoreUnit": "ns/op",
                "rawDataHistogram": [[[[100.0, 3], [400.0, 1]], [[100.0, 1], [200.0, 1]]]]},
              "secondaryMetrics": {"dropped": {"score": 0.0, "scoreError": "NaN", "scoreUnit": "#", "rawData": [[0.0, 0.0]]}}},
             {"jmhVersion": "1.37", "benchmark": "dev.ringlog.bench.EndToEndBenchmark.ringlog", "mode": "ss",
              "threads": 1, "params": {"database": "h2", "events": "1000"},
              "primaryMetric": {"score": 3.0, "scoreError": 1.0, "scoreUnit": "ms/op", "rawData": [[2.0, 4.0], [10.0]]},
              "secondaryMetrics": {}}]
            """;

    @Test
    void readsJmhsNanErrorsAsNaN() throws Exception {
        Files.writeString(dir.resolve("publish.json"), SAMPLE);
        Result r = JmhResults.read(dir).find("PublishBenchmark", "ringlog", "sample", 2, Map.of()).orElseThrow();
        assertTrue(Double.isNaN(r.error()), "scoreError \"NaN\"");
        assertEquals(0.0, r.secondary("dropped"));
        assertTrue(Double.isNaN(r.secondary("gc.alloc.rate.norm")), "a secondary metric the run did not have");
        assertEquals(400.0, r.percentile(99), "JMH's own pooled percentile");
        assertEquals(Map.of(), r.params());
    }

    @Test
    void takesEachIterationsPercentileAsJmhDoes() throws Exception {
        Files.writeString(dir.resolve("publish.json"), SAMPLE);
        Result r = JmhResults.read(dir).find("PublishBenchmark", "ringlog", "sample", 2, Map.of()).orElseThrow();
        ListStatistics medians = r.perIteration(50);
        assertEquals(2, medians.getN());
        // JMH interpolates at rank p (n + 1) / 100: iteration 1 {100, 100, 100, 400} -> 100, iteration 2 {100, 200} -> 150.
        assertEquals(100.0, medians.getMin());
        assertEquals(150.0, medians.getMax());
        assertEquals(6, r.samples());
    }

    @Test
    void ratesEachSingleShotInvocation() throws Exception {
        Files.writeString(dir.resolve("e2e.json"), SAMPLE);
        Result r = JmhResults.read(dir).e2e("ringlog", "h2", "1").orElseThrow();
        ListStatistics perSecond = JmhResults.eventsPerSecond(r);
        assertEquals(List.of(2.0, 4.0, 10.0), r.iterationScores(), "every iteration of every fork");
        assertEquals(100_000.0, perSecond.getMin(), 1e-6, "1000 events in 10 ms");
        assertEquals(500_000.0, perSecond.getMax(), 1e-6, "1000 events in 2 ms");
        assertEquals(250_000.0, JmhResults.medianEventsPerSecond(r), 1e-6, "1000 events in 4 ms");
    }

    @Test
    void skipsJsonThatJmhDidNotWrite() throws Exception {
        Files.writeString(dir.resolve("idle-cpu.json"), """
                [{"system": "ringlog", "waitStrategy": "SLEEP", "seconds": 10.0, "cpuMillis": 88.5, "cpuPercent": 0.88}]""");
        Files.writeString(dir.resolve("other.json"), "{\"not\": \"an array\"}");
        assertTrue(JmhResults.read(dir).isEmpty());
    }
}
