package dev.ringlog.spring.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.servlet.RequestLogFilter;
import dev.ringlog.spring.Rows;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * The starter in a running web application (embedded Tomcat), driven over HTTP: analytics events
 * published by a controller and the request log's events end up as rows. A subclass per database.
 */
abstract class WebAppContract {

    static final String TABLE = "boot_web_events";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String[] PROPERTIES = {
        "ringlog.table=" + TABLE,
        "ringlog.name=shop",
        "management.endpoints.web.exposure.include=health,metrics",
        "management.endpoint.health.show-details=always",
        "spring.main.banner-mode=off",
        "ringlog.request-log.enabled=true",
        "ringlog.request-log.sample[0].path=/actuator/**",
        "ringlog.request-log.sample[0].rate=0",
        "ringlog.request-log.body-content-types=application/json",
        "ringlog.request-log.max-body-bytes=16",
        "ringlog.request-log.headers=X-Request-Id",
    };

    @LocalServerPort
    int port;

    @Autowired
    EventLog<LogEvent> log;

    @Autowired
    @Qualifier("ringlogRequestLogFilter")
    FilterRegistrationBean<RequestLogFilter> requestLog;

    Http http;

    abstract Connection connect() throws Exception;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    long rows(String where) throws Exception {
        try (Connection c = connect()) {
            return Rows.count(c, "SELECT COUNT(*) FROM " + TABLE + " WHERE " + where);
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

    /**
     * Waits (at most 30 s) until the filter has seen {@code requests} more requests end than {@code before}:
     * Spring MVC flushes a response before the filter chain returns, so a client can have its answer
     * before the filter publishes, and nothing signals that moment but the filter's own count.
     */
    void awaitRequestsEnded(long before, int requests) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (requestLog.getFilter().requests() < before + requests) {
            assertTrue(System.nanoTime() < deadline, "requests ended: " + (requestLog.getFilter().requests() - before));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void requestLogPropertiesReachTheFilter() throws Exception {
        long before = requestLog.getFilter().requests();
        String order = "{\"order\":\"" + "x".repeat(100) + "\"}";
        HttpResponse<String> response = http.client().send(java.net.http.HttpRequest.newBuilder(http.get("/orders").uri())
                .header("Content-Type", "application/json").header("X-Request-Id", "req-42").header("User-Agent", "contract")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(order)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        awaitRequestsEnded(before, 1);
        assertTrue(log.flush(Duration.ofSeconds(30)));
        JsonNode event;
        try (Connection c = connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT payload FROM " + TABLE + " WHERE type = 'http_request' AND payload LIKE '%/orders%'")) {
            assertTrue(rs.next());
            event = JSON.readTree(rs.getString(1));
            assertFalse(rs.next(), "one event for the one request");
        }
        // the first 16 bytes of each body, cut and marked; the allowed header only
        assertEquals("{\"order\":\"xxxxxx", event.path("requestBody").asText(), event.toString());
        assertTrue(event.path("requestBodyTruncated").asBoolean(), event.toString());
        assertEquals("{\"received\":112}", event.path("responseBody").asText(), event.toString());
        assertEquals("req-42", event.path("requestHeaders").path("x-request-id").asText(), event.toString());
        assertFalse(event.path("requestHeaders").has("user-agent"), event.toString());
        assertEquals("/orders", event.path("template").asText(), event.toString());
    }

    @Test
    void everyRequestIsARow() throws Exception {
        int requests = 300;
        long before = requestLog.getFilter().requests();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String path = i % 10 == 0 ? "/missing/r" + i : "/pages/r" + i + "?user=requests";
            responses.add(http.client().sendAsync(http.get(path), HttpResponse.BodyHandlers.ofString()));
        }
        responses.forEach(CompletableFuture::join);
        awaitRequestsEnded(before, requests);
        assertTrue(log.flush(Duration.ofSeconds(30)));
        assertEquals(requests - requests / 10, rows("type = 'http_request' AND payload LIKE '%\"path\":\"/pages/r%'"
                + " AND payload LIKE '%\"template\":\"/pages/{page}\"%' AND payload LIKE '%\"status\":200%'"));
        assertEquals(requests / 10, rows("type = 'http_request' AND payload LIKE '%\"path\":\"/missing/r%'"
                + " AND payload LIKE '%\"status\":404%'"));
        assertEquals(requests - requests / 10, rows("type = 'page_view' AND actor = 'requests'"));
    }
}
