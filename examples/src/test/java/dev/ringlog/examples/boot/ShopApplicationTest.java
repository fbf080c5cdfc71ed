package dev.ringlog.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the Spring Boot example as the README describes it (its application.properties, on an H2 file),
 * drives it over HTTP, reads what actuator shows, closes it and counts the rows.
 */
@Timeout(120)
class ShopApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pageViewsAndRequestsBecomeRowsAndActuatorShowsRinglog(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("shop");
        ConfigurableApplicationContext context = SpringApplication.run(ShopApplication.class,
                "--server.port=0", "--spring.datasource.url=" + url, "--spring.main.banner-mode=off");
        EventLog<?> log;
        try {
            port = ((WebServerApplicationContext) context).getWebServer().getPort();
            log = context.getBean(EventLog.class);
            for (int i = 0; i < 60; i++) {
                assertEquals(200, get("/pages/p" + i % 3 + "?user=u" + i).statusCode());
            }
            assertEquals(404, get("/pages/NOT%20A%20PAGE").statusCode());

            JsonNode health = JSON.readTree(get("/actuator/health/ringlog").body());
            assertEquals("UP", health.path("status").asText(), health.toString());
            assertEquals("WRITING", health.path("details").path("state").asText(), health.toString());
            assertEquals("UP", JSON.readTree(get("/actuator/health").body()).path("components").path("ringlog")
                    .path("status").asText());
            JsonNode accepted = JSON.readTree(get("/actuator/metrics/ringlog.events?tag=result:accepted").body());
            assertTrue(accepted.path("measurements").get(0).path("value").asDouble() >= 60, accepted.toString());
            JsonNode requests = JSON.readTree(get("/actuator/metrics/ringlog.requests?tag=result:logged").body());
            assertTrue(requests.path("measurements").get(0).path("value").asDouble() >= 60, requests.toString());
            assertTrue(log.flush(Duration.ofSeconds(30)));
            JsonNode top = JSON.readTree(get("/top").body());
            assertEquals(20, top.get(0).path("VIEWS").asInt(), top.toString());
        } finally {
            context.close();
        }
        assertTrue(log.isClosed());
        assertEquals(0, log.stats().pending());
        try (Connection c = DriverManager.getConnection(url); var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT type, COUNT(*) FROM page_views GROUP BY type ORDER BY type")) {
            assertTrue(rs.next());
            assertEquals("http_request", rs.getString(1));
            long httpRequests = rs.getLong(2);
            assertTrue(httpRequests >= 61 + 5, "every request, the 404 and actuator's included: " + httpRequests);
            assertTrue(rs.next());
            assertEquals("page_view", rs.getString(1));
            assertEquals(60, rs.getLong(2));
        }
        assertEquals(log.stats().written(), log.stats().accepted());
    }

    @Test
    void theReadmeGivesTheExamplesTwoProperties() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        for (String line : new String[] {"ringlog.table=page_views", "ringlog.request-log.enabled=true",
                "management.endpoints.web.exposure.include=health,metrics"}) {
            assertTrue(properties.contains(line + "\n"), line);
            assertTrue(readme.contains(line + "\n"), "README.md must show " + line);
        }
    }
}
