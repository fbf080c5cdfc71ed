package dev.ringlog.spring.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.spring.Rows;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * A request still in flight when the context starts closing is logged: Boot's graceful shutdown lets it
 * finish, and the log closes only after the web server has stopped (a lower lifecycle phase).
 */
class GracefulShutdownTest {

    @TempDir
    Path directory;

    @Test
    void aRequestInFlightDuringGracefulShutdownIsLogged() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("shop");
        ShopApp.entered = new CountDownLatch(1);
        ShopApp.release = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ShopApp.class)
                .properties("server.port=0", "server.shutdown=graceful", "spring.datasource.url=" + url,
                        "ringlog.table=boot_graceful", "spring.main.banner-mode=off")
                .listeners(event -> {
                    if (event instanceof ContextClosedEvent) {
                        closing.countDown();
                    }
                })
                .run();
        @SuppressWarnings("unchecked")
        EventLog<LogEvent> log = context.getBean(EventLog.class);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Http http = new Http(port);
        CompletableFuture<HttpResponse<String>> inFlight = http.client()
                .sendAsync(http.get("/slow?user=in-flight"), HttpResponse.BodyHandlers.ofString());
        assertTrue(ShopApp.entered.await(30, TimeUnit.SECONDS), "the request did not reach the controller");

        CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
        assertTrue(closing.await(30, TimeUnit.SECONDS));
        awaitNoNewConnectionsAccepted(port);   // the graceful shutdown phase has begun
        ShopApp.release.countDown();

        assertEquals(200, inFlight.get(30, TimeUnit.SECONDS).statusCode());
        closed.get(60, TimeUnit.SECONDS);
        assertTrue(log.isClosed());
        assertEquals(new EventLog.Stats(1, 0, 1, 0, 0, log.stats().batches(), 0), log.stats());
        try (Connection c = DriverManager.getConnection(url)) {
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM boot_graceful WHERE actor = 'in-flight'"));
        }
    }

    /**
     * Waits (at most 30 s) until a new request gets no answer: Tomcat's graceful shutdown stops accepting
     * before it waits for the requests in flight. Each probe is bounded by its own timeouts.
     */
    private static void awaitNoNewConnectionsAccepted(int port) throws Exception {
        HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/no-such-page"))
                        .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException refusedOrTimedOut) {
                return;
            }
        }
        throw new AssertionError("the server still accepted requests 30 s after the context began closing");
    }
}
