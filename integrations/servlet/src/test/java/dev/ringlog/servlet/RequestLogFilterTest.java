package dev.ringlog.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter in a real embedded Tomcat, driven over real sockets by the JDK's HttpClient (and a raw
 * socket for a body that never ends); events recorded by a real {@link EventLog}.
 */
class RequestLogFilterTest {

    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private final Completions completions = new Completions();
    private final CountDownLatch releaseStream = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private EventLog<LogEvent> log;
    private RequestLogFilter filter;
    private TestServer server;

    @BeforeEach
    void startLog() {
        log = EventLog.builder(LogEvent::new, sink).name("servlet-test").ringSize(16_384).jmx(false).shutdownHook(false).start();
    }

    @AfterEach
    void stop() throws Exception {
        releaseStream.countDown();
        if (server != null) {
            server.close();
        }
        if (filter != null) {
            filter.destroy();
        }
        log.close();
    }

    private void start(UnaryOperator<RequestLogFilter.Builder> config) throws Exception {
        filter = config.apply(RequestLogFilter.builder(log)).build();
        server = new TestServer(dir, completions, filter)
                .servlet("/hello", TestServlets.hello())
                .servlet("/echo", TestServlets.echoBytes())
                .servlet("/echo-chars", TestServlets.echoChars())
                .servlet("/health/*", TestServlets.status())
                .servlet("/status", TestServlets.status())
                .servlet("/boom", TestServlets.boom())
                .servlet("/health/boom", TestServlets.boom())
                .servlet("/users/*", TestServlets.route(RequestLogFilter.SPRING_MVC_BEST_MATCHING_PATTERN, "/users/{id}"))
                .servlet("/secure/me", TestServlets.whoAmI())
                .servlet("/upload", TestServlets.upload())
                .servlet("/stream", TestServlets.stream(releaseStream))
                .servlet("/async", TestServlets.async())
                .servlet("/read-five", TestServlets.readFiveBytes(releaseStream))
                .start();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<RecordingSink.Event> events() {
        assertTrue(log.flush(Duration.ofSeconds(10)), "log flushed");
        return sink.drain();
    }

    private static String str(JsonObject payload, String member) {
        return payload.get(member).isJsonNull() ? null : payload.get(member).getAsString();
    }

    @Test
    void everyRequestEndsUpAsExactlyOneEvent() throws Exception {
        start(b -> b);
        int rounds = 25;
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                sent.add(clients.submit(() -> get("/hello")));
                sent.add(clients.submit(() -> post("/echo", "application/json", "{\"n\":1}")));
                sent.add(clients.submit(() -> get("/status?status=404")));
                sent.add(clients.submit(() -> get("/status?status=503")));
                sent.add(clients.submit(() -> get("/boom")));
                sent.add(clients.submit(() -> get("/async")));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            clients.shutdown();
        }
        completions.await(rounds * 6, 30); // the async ones end after their client has its answer
        List<RecordingSink.Event> events = events();
        // The server's count is the reference: HttpClient may send a GET twice if its connection closes under it.
        assertTrue(completions.served() >= rounds * 6, completions.served() + " requests served");
        assertEquals(completions.served(), events.size(), "one event per request");
        assertEquals(completions.served(), filter.requests());
        assertEquals(completions.served(), filter.logged());
        assertEquals(0, filter.sampledOut() + filter.dropped());

        long ok = 0;
        long notFound = 0;
        long unavailable = 0;
        long thrown = 0;
        for (RecordingSink.Event e : events) {
            JsonObject p = e.payload();
            assertEquals("http_request", e.type());
            assertNull(e.actor(), "nobody is authenticated");
            assertEquals("127.0.0.1", str(p, "client"));
            assertTrue(p.get("complete").getAsBoolean());
            assertTrue(p.get("durationMicros").getAsLong() > 0, p::toString);
            assertFalse(p.has("requestBody") || p.has("responseBody"), "no body content types configured: " + p);
            assertFalse(p.has("query"), "query strings are off by default: " + p);
            int status = p.get("status").getAsInt();
            switch (str(p, "path")) {
                case "/hello", "/async" -> ok += status == 200 ? 1 : 0;
                case "/echo" -> ok += status == 200 && "POST".equals(str(p, "method")) ? 1 : 0;
                case "/status" -> {
                    notFound += status == 404 ? 1 : 0;
                    unavailable += status == 503 ? 1 : 0;
                }
                case "/boom" -> thrown += status == 500 && "java.lang.IllegalStateException".equals(str(p, "exception")) ? 1 : 0;
                default -> throw new AssertionError("unexpected event " + p);
            }
        }
        assertEquals(completions.served(200, "/hello") + completions.served(200, "/async") + completions.served(200, "/echo"), ok);
        assertEquals(completions.served(404, "/status"), notFound);
        assertEquals(completions.served(503, "/status"), unavailable);
        assertEquals(completions.served(500, "/boom"), thrown);
        assertTrue(ok >= rounds * 3 && notFound >= rounds && unavailable >= rounds && thrown >= rounds);
    }

    @Test
    void logsTheTemplateTheFrameworkSetsAndTheQueryWhenAsked() throws Exception {
        start(b -> b.queryString(true));
        get("/users/42?tab=orders");
        JsonObject p = sink.next(10).payload();
        assertEquals("/users/42", str(p, "path"));
        assertEquals("/users/{id}", str(p, "template"));
        assertEquals("tab=orders", str(p, "query"));
        assertEquals(204, p.get("status").getAsInt());
    }

    @Test
    void capturesBodiesOfConfiguredTypesOnlyAndTruncatesThemAtTheCap() throws Exception {
        start(b -> b.bodyContentTypes("application/json", "text/*").maxBodyBytes(16));
        String big = "{\"data\":\"" + "x".repeat(100) + "\"}";
        assertEquals(big, post("/echo", "application/json", big).body(), "the application still gets the whole body");
        JsonObject p = sink.next(10).payload();
        assertEquals(big.substring(0, 16), str(p, "requestBody"));
        assertTrue(p.get("requestBodyTruncated").getAsBoolean());
        assertFalse(p.get("requestBodyTimedOut").getAsBoolean());
        assertEquals(big.substring(0, 16), str(p, "responseBody"));
        assertTrue(p.get("responseBodyTruncated").getAsBoolean());

        post("/echo", "application/json; charset=UTF-8", "{\"a\":1}");
        p = sink.next(10).payload();
        assertEquals("{\"a\":1}", str(p, "requestBody"));
        assertFalse(p.get("requestBodyTruncated").getAsBoolean());
        assertEquals("{\"a\":1}", str(p, "responseBody"));
        assertFalse(p.get("responseBodyTruncated").getAsBoolean());

        // Read and written as characters: the cap counts their UTF-8 bytes.
        assertEquals("héllo wörld, long enough", post("/echo-chars", "text/plain; charset=UTF-8", "héllo wörld, long enough").body());
        p = sink.next(10).payload();
        assertEquals("héllo wörld, l", str(p, "requestBody"), p::toString); // 14 characters, 16 bytes
        assertEquals("héllo wörld, l", str(p, "responseBody"));

        post("/echo", "application/octet-stream", "secret binary");
        p = sink.next(10).payload();
        assertFalse(p.has("requestBody") || p.has("responseBody"), "a type not configured is not captured: " + p);
        assertEquals(200, p.get("status").getAsInt());
    }

    @Test
    void neverLogsCredentialsAndLogsTheAuthenticatedUser() throws Exception {
        start(b -> b.headers("User-Agent", "x-trace", "Content-Type").bodyContentTypes("text/*"));
        String basic = "Basic " + Base64.getEncoder().encodeToString((TestServer.USER + ":" + TestServer.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> me = get("/secure/me", "Authorization", basic, "Cookie", "session=CLIENT-SECRET",
                "User-Agent", "ringlog-test");
        assertEquals(200, me.statusCode());
        assertEquals("alice", me.body());
        get("/hello", "Cookie", "session=CLIENT-SECRET", "Proxy-Authorization", basic);
        for (RecordingSink.Event e : List.of(sink.next(10), sink.next(10))) {
            String payload = e.payload().toString();
            for (String secret : List.of("CLIENT-SECRET", "SERVER-SECRET", basic.substring(6), TestServer.PASSWORD)) {
                assertFalse(payload.contains(secret), "a credential was logged: " + payload);
            }
            JsonObject p = e.payload();
            if (str(p, "path").equals("/secure/me")) {
                assertEquals("alice", e.actor());
                assertEquals("ringlog-test", p.getAsJsonObject("requestHeaders").get("user-agent").getAsString());
            } else {
                assertNull(e.actor());
                assertEquals("trace-1", p.getAsJsonObject("responseHeaders").get("x-trace").getAsString());
                assertEquals("hello", str(p, "responseBody"));
            }
        }
    }

    @Test
    void aRequestBodyThatNeverEndsIsLoggedAtItsTimeoutAndOnlyOnce() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        start(b -> b.bodyContentTypes("application/json").requestBodyTimeout(timeout));
        String sent = "{\"partial\":";
        long begin;
        RecordingSink.Event event;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\n\r\n" + sent).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            begin = System.nanoTime();
            event = sink.next(10); // while the client still holds the body open
            long waitedMs = (System.nanoTime() - begin) / 1_000_000;
            assertTrue(waitedMs < timeout.toMillis() + 2_000, "logged " + waitedMs + " ms after the body stalled");
        }
        JsonObject p = event.payload();
        assertFalse(p.get("complete").getAsBoolean(), p::toString);
        assertTrue(p.get("requestBodyTimedOut").getAsBoolean(), p::toString);
        assertEquals(sent, str(p, "requestBody"));
        assertFalse(p.get("requestBodyTruncated").getAsBoolean());
        assertTrue(p.get("status").isJsonNull(), "the response is not committed: status unknown " + p);
        assertTrue(p.get("durationMicros").getAsLong() >= timeout.toNanos() / 1_000, p::toString);

        // The client is gone: the application's read fails and the request ends, without a second event.
        completions.await(1, 30);
        assertEquals(0, events().size(), "one event per request");
        assertEquals(1, filter.requests());
        assertEquals(1, filter.logged());
    }

    @Test
    void aSlowBodyThatEndsWithinItsTimeoutIsLoggedAtCompletion() throws Exception {
        start(b -> b.bodyContentTypes("application/json").requestBodyTimeout(Duration.ofSeconds(30)));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 8\r\nConnection: close\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write("12}".getBytes(StandardCharsets.US_ASCII)); // a second packet, as a slow client sends
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 201"), response);
        }
        JsonObject p = sink.next(10).payload();
        assertTrue(p.get("complete").getAsBoolean());
        assertEquals(201, p.get("status").getAsInt());
        assertEquals("{\"a\":12}", str(p, "requestBody"));
        assertFalse(p.get("requestBodyTimedOut").getAsBoolean());
    }

    @Test
    void aStreamingResponseThatOutlivesItsTimeoutIsLoggedAtTheTimeout() throws Exception {
        start(b -> b.bodyContentTypes("text/event-stream").responseBodyTimeout(Duration.ofMillis(200)));
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(server.url("/stream"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertEquals("data: 1\n\n", new String(body.readNBytes(9), StandardCharsets.UTF_8));
            RecordingSink.Event event = sink.next(10); // the stream is held open until the test has its event
            JsonObject p = event.payload();
            assertFalse(p.get("complete").getAsBoolean(), p::toString);
            assertTrue(p.get("responseBodyTimedOut").getAsBoolean(), p::toString);
            assertEquals("data: 1\n\n", str(p, "responseBody"));
            assertEquals(200, p.get("status").getAsInt(), "committed: its status is known");
            releaseStream.countDown();
            assertEquals("data: 2\n\n", new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(0, events().size(), "nothing more once the stream ends");
        assertEquals(1, filter.requests());
    }

    @Test
    void capturesWhatAnAsyncRequestWritesFromAnotherThread() throws Exception {
        start(b -> b.bodyContentTypes("application/json"));
        assertEquals("{\"async\":true}", get("/async").body());
        JsonObject p = sink.next(10).payload();
        assertTrue(p.get("complete").getAsBoolean());
        assertEquals(200, p.get("status").getAsInt());
        assertEquals("{\"async\":true}", str(p, "responseBody"));
    }
    @Test
    void samplesPerPathWithinStatisticalBoundsAndKeepsEveryError() throws Exception {
        // The first matching pattern decides: /health/** keeps 10%, anything else none, errors all.
        start(b -> b.sample("/health/**", 0.1).sample("/**", 0.0));
        List<String> paths = new ArrayList<>();
        int healthy = 10_000;
        for (int i = 0; i < healthy; i++) {
            paths.add(i % 2 == 0 ? "/health" : "/health/db");
        }
        for (int i = 0; i < 200; i++) {
            paths.add("/health?status=503");
        }
        for (int i = 0; i < 100; i++) {
            paths.add("/health/db?status=404");
        }
        for (int i = 0; i < 20; i++) {
            paths.add("/health/boom");
        }
        for (int i = 0; i < 500; i++) {
            paths.add("/hello");
        }
        for (int i = 0; i < 100; i++) {
            paths.add("/status?status=500");
        }
        java.util.Collections.shuffle(paths, new java.util.Random(11));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                List<String> mine = paths.subList(t * paths.size() / 4, (t + 1) * paths.size() / 4);
                sent.add(clients.submit(() -> {
                    for (String path : mine) {
                        get(path);
                    }
                    return mine.size();
                }));
            }
            for (Future<Integer> f : sent) {
                f.get();
            }
        } finally {
            clients.shutdown();
        }
        completions.await(paths.size(), 30);
        List<RecordingSink.Event> events = events();

        long keptHealthy = 0;
        long unavailable = 0;
        long notFound = 0;
        long thrown = 0;
        long serverErrors = 0;
        for (RecordingSink.Event e : events) {
            JsonObject p = e.payload();
            int status = p.get("status").getAsInt();
            String path = str(p, "path");
            if (status == 200 && path.startsWith("/health")) {
                keptHealthy++;
            } else if (status == 503) {
                unavailable++;
            } else if (status == 404) {
                notFound++;
            } else if (status == 500 && path.equals("/health/boom")) {
                thrown++;
            } else if (status == 500 && path.equals("/status")) {
                serverErrors++;
            } else {
                throw new AssertionError("sampled out, yet logged: " + p);
            }
        }
        // What the server handled is the reference: a client may send a GET twice (HttpClient retries one
        // whose connection closed under it). Binomial(10,000, 0.1): mean 1,000, standard deviation 30; 5 sigma.
        int healthyServed = completions.served(200, "/health") + completions.served(200, "/health/db");
        assertTrue(healthyServed >= healthy, healthyServed + " healthy requests served");
        assertTrue(keptHealthy >= 850 && keptHealthy <= 1_150, "healthy /health/** kept: " + keptHealthy + " of " + healthyServed);
        assertEquals(completions.served(503, "/health"), unavailable, "every 503 kept");
        assertEquals(completions.served(404, "/health/db"), notFound, "every 404 kept");
        assertEquals(completions.served(500, "/health/boom"), thrown, "every exception kept");
        assertEquals(completions.served(500, "/status"), serverErrors, "every 500 kept, even where the rate is 0");
        assertTrue(unavailable >= 200 && notFound >= 100 && thrown >= 20 && serverErrors >= 100, "the errors sent were served");
        assertEquals(completions.served(), filter.requests(), "every request the server handled is counted once");
        assertTrue(filter.requests() >= paths.size());
        assertEquals(events.size(), filter.logged());
        assertEquals(filter.requests() - events.size(), filter.sampledOut(), "every request not logged is counted as sampled out");
        assertEquals(0, filter.dropped());
    }
    @Test
    void aDestroyedFilterStillPassesRequestsAndLogsThemAtCompletion() throws Exception {
        // A container stops its filters while requests may still run: their body reads must not fail.
        start(b -> b.bodyContentTypes("application/json"));
        filter.destroy();
        HttpResponse<String> echoed = post("/echo", "application/json", "{\"late\":true}");
        assertEquals(200, echoed.statusCode(), echoed.body());
        JsonObject p = sink.next(10).payload();
        assertTrue(p.get("complete").getAsBoolean());
        assertEquals("{\"late\":true}", str(p, "requestBody"));
    }
    @Test
    void aBodyTheApplicationStoppedReadingLeavesTheEventToCompletion() throws Exception {
        start(b -> b.bodyContentTypes("application/json").requestBodyTimeout(Duration.ofMillis(100)));
        CompletableFuture<HttpResponse<String>> response = http.sendAsync(HttpRequest.newBuilder(URI.create(server.url("/read-five")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"a\":1234567890}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        // The handler works on past the deadline, not waiting for the body: no early event. Asserting an
        // absence needs a wait: 10 times the timeout.
        assertNull(sink.poll(1_000), "published at the deadline although the application was not waiting for the body");
        releaseStream.countDown();
        assertEquals(201, response.get(10, TimeUnit.SECONDS).statusCode());
        JsonObject p = sink.next(10).payload();
        assertTrue(p.get("complete").getAsBoolean(), p::toString);
        assertEquals(201, p.get("status").getAsInt());
        assertEquals("{\"a\":", str(p, "requestBody"));
        assertTrue(p.get("requestBodyTimedOut").getAsBoolean(), "not at its end within the timeout: " + p);
    }
}
