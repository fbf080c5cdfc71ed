package dev.ringlog.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.JdbcSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole way: requests into a real Tomcat, rows in a real H2 file, read back with SQL. */
class RequestLogH2Test {

    @TempDir
    Path dir;

    @Test
    void everyRequestIsARowInTheTable() throws Exception {
        int perKind = 150;
        Completions completions = new Completions();
        try (HikariDataSource db = JdbcSink.embeddedH2(dir.resolve("db")).open()) {
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(db).table("servlet_requests").build();
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("servlet-h2").jmx(false).shutdownHook(false).start();
            RequestLogFilter filter = RequestLogFilter.builder(log).bodyContentTypes("application/json").maxBodyBytes(64).build();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (TestServer server = new TestServer(dir.resolve("tomcat"), completions, filter)
                    .servlet("/echo", TestServlets.echoBytes())
                    .servlet("/status", TestServlets.status())
                    .servlet("/boom", TestServlets.boom())
                    .start()) {
                ExecutorService clients = Executors.newFixedThreadPool(3);
                try {
                    List<Future<?>> sent = new ArrayList<>();
                    for (int i = 0; i < perKind; i++) {
                        String body = "{\"i\":" + i + ",\"pad\":\"" + "p".repeat(100) + "\"}";
                        sent.add(clients.submit(() -> http.send(HttpRequest.newBuilder(URI.create(server.url("/echo")))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(), HttpResponse.BodyHandlers.discarding())));
                        sent.add(clients.submit(() -> http.send(HttpRequest.newBuilder(URI.create(server.url("/status?status=418")))
                                .build(), HttpResponse.BodyHandlers.discarding())));
                        sent.add(clients.submit(() -> http.send(HttpRequest.newBuilder(URI.create(server.url("/boom")))
                                .build(), HttpResponse.BodyHandlers.discarding())));
                    }
                    for (Future<?> f : sent) {
                        f.get();
                    }
                } finally {
                    clients.shutdown();
                }
                completions.await(3 * perKind, 30);
            } finally {
                filter.destroy();
                log.close();
            }
            // The server's count is the reference: HttpClient may send a GET twice if its connection closes under it.
            assertTrue(completions.served() >= 3 * perKind, completions.served() + " requests served");
            assertEquals(completions.served(), log.stats().written());

            Map<String, Integer> byStatus = new HashMap<>();
            try (Connection c = db.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT type, actor, payload FROM servlet_requests")) {
                while (rs.next()) {
                    assertEquals("http_request", rs.getString(1));
                    JsonObject p = JsonParser.parseString(rs.getString(3)).getAsJsonObject();
                    byStatus.merge(p.get("path").getAsString() + " " + p.get("status").getAsInt(), 1, Integer::sum);
                    if (p.get("path").getAsString().equals("/echo")) {
                        assertEquals(64, p.get("requestBody").getAsString().length(), p::toString);
                        assertTrue(p.get("requestBodyTruncated").getAsBoolean());
                    }
                }
            }
            assertEquals(Map.of("/echo 200", completions.served(200, "/echo"), "/status 418", completions.served(418, "/status"),
                    "/boom 500", completions.served(500, "/boom")), byStatus);
        }
    }
}
