package dev.ringlog.spring.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /actuator/health/ringlog} during a real outage: the log writes to an H2 TCP server, which the
 * test stops (its sockets closed, new connections refused) and starts again on the same port. Health
 * goes DOWN once the sink has been retrying for {@code ringlog.health.down-after} (1 s here), with the
 * failure in its details, and UP once the events are written after the server is back.
 */
@SpringBootTest(classes = ShopApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HealthOutageTest {

    static final Path DIRECTORY = directory();
    static final int DB_PORT = freePort();
    static Server server = start();

    @LocalServerPort
    int port;

    @Autowired
    EventLog<LogEvent> log;

    private static Path directory() {
        try {
            return Files.createTempDirectory("ringlog-boot-outage");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Server start() {
        try {
            return Server.createTcpServer("-tcpPort", Integer.toString(DB_PORT), "-baseDir", DIRECTORY.toString(),
                    "-ifNotExists").start();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ringlog.datasource.url", () -> "jdbc:h2:tcp://127.0.0.1:" + DB_PORT + "/outage");
        registry.add("ringlog.datasource.connection-timeout", () -> "1s");
        registry.add("ringlog.table", () -> "boot_outage");
        registry.add("ringlog.health.down-after", () -> "1s");
        registry.add("management.endpoint.health.show-details", () -> "always");
        registry.add("spring.main.banner-mode", () -> "off");
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Test
    void healthIsDownDuringADatabaseOutageAndUpAfter() throws Exception {
        Http http = new Http(port);
        assertEquals(200, http.send("/pages/home?user=before").statusCode());
        assertTrue(log.flush(Duration.ofSeconds(30)));
        assertEquals("UP", http.json("/actuator/health/ringlog").path("status").asText());

        server.stop();
        try {
            assertEquals(200, http.send("/pages/home?user=during").statusCode()); // the request does not wait for the database
            JsonNode down = awaitStatus(http, "DOWN");
            assertEquals(503, http.send("/actuator/health/ringlog").statusCode());
            JsonNode details = down.path("details");
            assertEquals("RETRYING", details.path("state").asText(), down.toString());
            assertTrue(details.path("pending").asLong() >= 1, down.toString());
            assertTrue(details.path("consecutiveFailures").asInt() >= 1, down.toString());
            assertTrue(details.path("lastFailure").asText().contains("SQL"), down.toString());
            assertTrue(details.has("failingSince") && details.has("nextAttempt"), down.toString());
            assertEquals("DOWN", http.json("/actuator/health").path("status").asText());
        } finally {
            server = start();
        }
        assertTrue(log.flush(Duration.ofSeconds(60)), "the events were not written within 60 s of the server's return");
        JsonNode up = awaitStatus(http, "UP");
        assertEquals("WRITING", up.path("details").path("state").asText());
        assertEquals(0, up.path("details").path("pending").asLong());
        assertEquals(2, log.stats().written());
        assertTrue(log.stats().retries() >= 1);
    }

    /**
     * Polls the health endpoint until it reports {@code status}, at most 60 s: health changes with time
     * (down-after) and with the sink's next attempt, and signals neither.
     */
    private static JsonNode awaitStatus(Http http, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode health = http.json("/actuator/health/ringlog");
            if (status.equals(health.path("status").asText())) {
                return health;
            }
            assertTrue(System.nanoTime() < deadline, "health not " + status + " within 60 s: " + health);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
