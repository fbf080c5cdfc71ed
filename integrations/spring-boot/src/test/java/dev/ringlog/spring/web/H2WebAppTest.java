package dev.ringlog.spring.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link WebAppContract} on an H2 file (the application's DataSource and the log's own pool on the same
 * URL), and what actuator shows: ringlog's health and meters, the request log's sampled-out count.
 */
@SpringBootTest(classes = ShopApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.banner-mode=off"})
class H2WebAppTest extends WebAppContract {

    static final String URL = "jdbc:h2:file:" + directory().resolve("shop");

    private static Path directory() {
        try {
            return Files.createTempDirectory("ringlog-boot-web");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
        for (String p : PROPERTIES) {
            registry.add(p.substring(0, p.indexOf('=')), () -> p.substring(p.indexOf('=') + 1));
        }
    }

    @Override
    Connection connect() throws Exception {
        return DriverManager.getConnection(URL);
    }

    @Test
    void sampledOutRequestsAreCountedAndErrorsKept() throws Exception {
        long sampledOut = requestLog.getFilter().sampledOut();
        long before = requestLog.getFilter().requests();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, http.send("/actuator/health").statusCode());
        }
        assertEquals(404, http.send("/actuator/no-such-endpoint").statusCode());
        awaitRequestsEnded(before, 6);
        assertEquals(sampledOut + 5, requestLog.getFilter().sampledOut());
        assertTrue(log.flush(Duration.ofSeconds(30)));
        assertEquals(1, rows("type = 'http_request' AND payload LIKE '%\"path\":\"/actuator/no-such-endpoint\"%'"));
        assertEquals(0, rows("type = 'http_request' AND payload LIKE '%\"path\":\"/actuator/health\"%'"));
        JsonNode counted = http.json("/actuator/metrics/ringlog.requests?tag=result:sampled_out");
        assertTrue(counted.path("measurements").get(0).path("value").asDouble() >= 5, counted.toString());
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
