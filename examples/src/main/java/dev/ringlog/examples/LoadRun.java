package dev.ringlog.examples;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of the demo: a small web server (the JDK's) whose request filter records a page view per
 * request, driven by concurrent clients (the JDK's {@code HttpClient}), each sending requests one
 * after another.
 */
final class LoadRun {

    static final int SERVER_THREADS = 16;
    private static final int PAGES = 40;

    /** Requests per second, latencies, and how the page views ended. */
    record Result(String system, int requests, double requestsPerSecond, double[] latencyMillis,
                  double[] recordMillis, PageViews.Accounting accounting, long finishMillis) {
    }

    private final int requests;
    private final int clients;
    private final PrintStream out;

    LoadRun(int requests, int clients, PrintStream out) {
        this.requests = requests;
        this.clients = clients;
        this.out = out;
    }

    Result run(String system, PageViews pageViews) throws Exception {
        HttpServer server = LoopbackHttpServer.create(0);
        ExecutorService serverThreads = Executors.newFixedThreadPool(SERVER_THREADS);
        server.setExecutor(serverThreads);
        Latencies recordCost = new Latencies(requests);
        AtomicInteger recorded = new AtomicInteger();
        server.createContext("/", LoadRun::servePage).getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                String query = exchange.getRequestURI().getQuery();
                String visitor = query == null ? "anonymous" : query.substring(query.indexOf('=') + 1);
                long t0 = System.nanoTime();
                pageViews.record(visitor, exchange.getRequestURI().getPath());
                recordCost.record(recorded.getAndIncrement(), System.nanoTime() - t0);
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "records a page view, the way a web application logs analytics";
            }
        });
        server.start();
        ExecutorService clientThreads = Executors.newFixedThreadPool(clients);
        try {
            return drive(system, pageViews, server.getAddress().getPort(), clientThreads, recordCost);
        } finally {
            clientThreads.shutdownNow();
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    private Result drive(String system, PageViews pageViews, int port, ExecutorService clientThreads,
                         Latencies recordCost) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads).build();
        int[] pages = pageSequence();
        Latencies latencies = new Latencies(requests);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        ExecutorService drivers = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            String visitor = "visitor-" + c;
            workers.add(drivers.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    URI uri = URI.create("http://127.0.0.1:" + port + "/page/" + pages[i] + "?visitor=" + visitor);
                    long t0 = System.nanoTime();
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.discarding());
                    latencies.record(i, System.nanoTime() - t0);
                    if (response.statusCode() != 200) {
                        throw new IOException("HTTP " + response.statusCode() + " for " + uri);
                    }
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        drivers.shutdown();
        // A progress line redrawn in place on a terminal; in a pipe or a CI log a carriage return would
        // pile every redraw onto one line, so there only the final line is printed.
        boolean terminal = out == System.out && System.console() != null;
        while (!drivers.awaitTermination(500, TimeUnit.MILLISECONDS)) {
            if (terminal) {
                out.printf("\r  %-20s %,7d / %,d requests", system, done.get(), requests);
                out.flush();
            }
        }
        for (Future<?> worker : workers) {
            worker.get(); // rethrows a client failure
        }
        long elapsed = System.nanoTime() - start;
        long finishStart = System.nanoTime();
        PageViews.Accounting accounting = pageViews.finish();
        long finishMillis = (System.nanoTime() - finishStart) / 1_000_000;
        out.printf("%s  %-20s %,7d / %,d requests in %,d ms%n", terminal ? "\r" : "", system, done.get(), requests,
                elapsed / 1_000_000);
        return new Result(system, requests, requests / (elapsed / 1e9), latencies.summaryMillis(),
                recordCost.summaryMillis(), accounting, finishMillis);
    }

    /** Which page each request asks for: a few pages are popular, most are not (Zipf-like), fixed seed. */
    private int[] pageSequence() {
        double[] cumulative = new double[PAGES];
        double total = 0;
        for (int p = 0; p < PAGES; p++) {
            total += 1.0 / (p + 1);
            cumulative[p] = total;
        }
        SplittableRandom random = new SplittableRandom(42);
        int[] pages = new int[requests];
        for (int i = 0; i < requests; i++) {
            double r = random.nextDouble() * total;
            int p = 0;
            while (cumulative[p] < r) {
                p++;
            }
            pages[i] = p + 1;
        }
        return pages;
    }

    private static void servePage(HttpExchange exchange) throws IOException {
        byte[] body = ("<html><body><h1>" + exchange.getRequestURI().getPath() + "</h1></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
