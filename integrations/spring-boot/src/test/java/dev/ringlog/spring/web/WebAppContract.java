package dev.ringlog.spring.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.TestDatabases;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The starter in a running web application (embedded Tomcat, actuator), driven over HTTP: analytics
 * events published by a controller end up as rows, and actuator shows ringlog's health and meters.
 * A subclass per database.
 */
abstract class WebAppContract {

    static final String TABLE = "boot_web_events";
    static final String[] PROPERTIES = {
        "ringlog.table=" + TABLE,
        "ringlog.name=shop",
        "management.endpoints.web.exposure.include=health,metrics",
        "management.endpoint.health.show-details=always",
        "spring.main.banner-mode=off",
    };

    @LocalServerPort
    int port;

    @Autowired
    EventLog<LogEvent> log;

    Http http;

    abstract Connection connect() throws Exception;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    private long rows(String where) throws Exception {
        try (Connection c = connect(); var s = c.createStatement()) {
            return TestDatabases.count(s, "SELECT COUNT(*) FROM " + TABLE + " WHERE " + where);
        }
    }

    @Test
    void analyticsEventsPublishedByAControllerBecomeRows() throws Exception {
        int requests = 400;
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            responses.add(http.client().sendAsync(http.get("/pages/p" + i % 7 + "?user=contract-" + i),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> bodies = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertEquals(200, response.join().statusCode());
            bodies.add(response.join().body());
        }
        assertEquals(7, bodies.size());
        assertTrue(log.flush(Duration.ofSeconds(30)));
        assertEquals(requests, rows("type = 'page_view' AND actor LIKE 'contract-%'"));
        assertEquals(requests, rows("actor LIKE 'contract-%' AND payload LIKE '{\"page\":\"p_\"}'"));
    }

    @Test
    void healthShowsRinglogUpWithItsDetails() throws Exception {
        HttpResponse<String> response = http.send("/actuator/health/ringlog");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode health = http.json("/actuator/health/ringlog");
        assertEquals("UP", health.path("status").asText());
        assertEquals("WRITING", health.path("details").path("state").asText());
        assertEquals("shop", health.path("details").path("name").asText());
        assertTrue(health.path("details").has("pending"), health.toString());
        assertTrue(health.path("details").has("retries"), health.toString());
        assertEquals("UP", http.json("/actuator/health").path("components").path("ringlog").path("status").asText());
    }

    @Test
    void actuatorMetricsShowTheMeters() throws Exception {
        assertEquals(200, http.send("/pages/metered?user=metrics-1").statusCode());
        assertTrue(log.flush(Duration.ofSeconds(30)));
        JsonNode names = http.json("/actuator/metrics").path("names");
        Set<String> ringlog = new HashSet<>();
        names.forEach(n -> {
            if (n.asText().startsWith("ringlog.")) {
                ringlog.add(n.asText());
            }
        });
        assertTrue(ringlog.containsAll(Set.of("ringlog.events", "ringlog.events.dropped", "ringlog.events.pending",
                "ringlog.retries", "ringlog.batches", "ringlog.ring.capacity", "ringlog.ring.remaining",
                "ringlog.sink.state", "ringlog.commit")), ringlog.toString());
        JsonNode written = http.json("/actuator/metrics/ringlog.events?tag=result:written&tag=name:shop");
        assertTrue(written.path("measurements").get(0).path("value").asDouble() >= 1, written.toString());
        JsonNode writing = http.json("/actuator/metrics/ringlog.sink.state?tag=state:writing");
        assertEquals(1.0, writing.path("measurements").get(0).path("value").asDouble(), writing.toString());
        assertEquals(65536.0, http.json("/actuator/metrics/ringlog.ring.capacity")
                .path("measurements").get(0).path("value").asDouble());
    }
}
