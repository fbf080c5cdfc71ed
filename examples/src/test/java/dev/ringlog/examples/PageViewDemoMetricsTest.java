package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo serves ringlog's meters over HTTP while it runs, and they say what its final table says. */
@Timeout(120)
class PageViewDemoMetricsTest {

    private static final Pattern URL = Pattern.compile("in the Prometheus text format, while the demo runs: (http://\\S+)");
    private static final Pattern SAMPLE = Pattern.compile("(?m)^(ringlog_\\w+)(\\{[^}]*})? (\\S+)$");
    private static final Pattern RINGLOG_ROW = Pattern.compile(
            "(?m)^ringlog +[\\d,]+ +[\\d.]+ +[\\d.]+ +[\\d.]+ +[\\d,.]+ +[\\d,.]+ +([\\d,]+) +([\\d,]+) +([\\d,]+) +([\\d,]+)$");

    @Test
    void servesTheMetersInPrometheusFormatDuringTheRunAndTheyMatchTheFinalTable(@TempDir Path dir) throws Exception {
        // The demo prints its table once both runs are done: the ringlog log is closed, the endpoint still up.
        // Holding the demo's output there lets the test scrape at that moment, over real HTTP.
        GatedOutput output = new GatedOutput("request latency (ms)");
        ExecutorService demo = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = demo.submit(() -> PageViewDemo.run(new String[] {"--requests", "200", "--clients",
                    "4", "--dir", dir.toString(), "--metrics-port", "0"},
                    new PrintStream(output, true, StandardCharsets.UTF_8)));
            assertTrue(output.reached.await(90, TimeUnit.SECONDS), "the demo reaches its table:\n" + output);
            Matcher url = URL.matcher(output.toString());
            assertTrue(url.find(), "the demo prints where its meters are:\n" + output);

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            output.release.countDown();
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    scrape.headers().toString());
            assertEquals(0, status.get(60, TimeUnit.SECONDS), output.toString());

            Map<String, Double> m = parse(scrape.body());
            Matcher row = RINGLOG_ROW.matcher(output.toString());
            assertTrue(row.find(), "the demo's ringlog row:\n" + output);
            long written = number(row.group(1));
            long dropped = number(row.group(2));
            long failed = number(row.group(3));
            long pending = number(row.group(4));
            assertEquals(200, written + dropped + failed + pending, output.toString());
            String log = "name=\"page-views\"";
            assertEquals(written, value(m, "ringlog_events_total", log, "result=\"written\""));
            assertEquals(failed, value(m, "ringlog_events_total", log, "result=\"failed\""));
            assertEquals(written + failed + pending, value(m, "ringlog_events_total", log, "result=\"accepted\""));
            assertEquals(pending, value(m, "ringlog_events_pending_events", log));
            long droppedScraped = 0;
            for (String reason : new String[] {"ring_full", "closed", "sink_stopped", "from_sink"}) {
                droppedScraped += value(m, "ringlog_events_dropped_events_total", log, "reason=\"" + reason + "\"");
            }
            assertEquals(dropped, droppedScraped);
            double batches = value(m, "ringlog_batches_total", log);
            assertTrue(batches >= 1 && batches <= written, "batches " + batches);
            assertEquals(written, value(m, "ringlog_batches_events_total", log), "every written event was in a batch");
            assertEquals(batches, value(m, "ringlog_commit_seconds_count", log));
            assertTrue(value(m, "ringlog_commit_seconds_sum", log) > 0);
            assertTrue(value(m, "ringlog_commit_max_seconds", log) > 0);
            assertEquals(65_536, value(m, "ringlog_ring_capacity_slots", log));
            assertEquals(65_536, value(m, "ringlog_ring_remaining_slots", log), "the closed log's ring is empty");
            assertEquals(1, value(m, "ringlog_sink_state", log, "state=\"stopped\""), "the log is closed by then");
            assertEquals(0, value(m, "ringlog_sink_state", log, "state=\"writing\""));
            assertEquals(0, value(m, "ringlog_sink_state", log, "state=\"retrying\""));
            assertEquals(0, value(m, "ringlog_sink_consecutive_failures", log));
            assertEquals(0, value(m, "ringlog_retries_total", log));

            HttpRequest again = HttpRequest.newBuilder(URI.create(url.group(1))).build();
            try {
                HttpClient.newHttpClient().send(again, HttpResponse.BodyHandlers.discarding());
                throw new AssertionError("the endpoint still answers after the demo ended");
            } catch (ConnectException closed) {
                // the demo stops serving when it ends
            }
        } finally {
            output.release.countDown();
            demo.shutdownNow();
        }
    }

    @Test
    void rejectsAMetricsPortOutOfRange() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = PageViewDemo.run(new String[] {"--metrics-port", "65536"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("--metrics-port must be a port in [0, 65535] (0: any free port): --metrics-port=65536",
                bytes.toString(StandardCharsets.UTF_8).strip());
    }

    /** Prometheus text format samples by {@code name{labels}}; comment lines (HELP, TYPE) are skipped. */
    private static Map<String, Double> parse(String body) {
        Map<String, Double> samples = new HashMap<>();
        Matcher sample = SAMPLE.matcher(body);
        while (sample.find()) {
            samples.put(sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)), Double.valueOf(sample.group(3)));
        }
        assertTrue(samples.size() >= 21, "the ringlog meters are served:\n" + body);
        return samples;
    }

    /** The one sample of {@code name} whose labels include every one of {@code labels}. */
    private static double value(Map<String, Double> samples, String name, String... labels) {
        Double found = null;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= key.contains(label);
            }
            if (all) {
                assertEquals(null, found, "one sample of " + name + " with " + String.join(",", labels));
                found = e.getValue();
            }
        }
        assertTrue(found != null, "no sample " + name + " with " + String.join(",", labels) + " in " + samples.keySet());
        return found;
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    /** Captures the demo's output, and holds the demo's thread once {@code trigger} has been printed until released. */
    private static final class GatedOutput extends OutputStream {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final String trigger;
        private final StringBuilder text = new StringBuilder();

        GatedOutput(String trigger) {
            this.trigger = trigger;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            boolean hold;
            synchronized (this) {
                text.append(new String(b, off, len, StandardCharsets.UTF_8));
                hold = reached.getCount() > 0 && text.indexOf(trigger) >= 0;
            }
            if (hold) {
                reached.countDown();
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("the test never released the demo's output");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }

        @Override
        public synchronized String toString() {
            return text.toString();
        }
    }
}
