package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.jdbc.JdbcSink;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link RequestLogging} as a servlet application declares it, in an embedded Tomcat; rows read back from H2. */
@Timeout(120)
class RequestLoggingTest {

    @TempDir
    Path dir;

    @Test
    void logsEachRequestIntoTheTableAndClosesWithTheApplication() throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.resolve("tomcat").toString());
        tomcat.setPort(0);
        Context context = tomcat.addContext("", dir.toString());
        context.addParameter("ringlog.dir", dir.resolve("db").toString());
        context.addApplicationListener(RequestLogging.class.getName()); // as web.xml's <listener> does
        Tomcat.addServlet(context, "orders", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                req.getInputStream().readAllBytes();
                resp.setStatus(201);
                resp.setContentType("application/json");
                resp.getWriter().write("{\"id\":7}");
            }
        });
        context.addServletMappingDecoded("/orders", "orders");
        tomcat.getConnector();
        tomcat.start();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/orders"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer TOKEN-1")
                    .header("X-Request-Id", "req-1").POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"book\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode());
        } finally {
            tomcat.stop(); // the listener closes the log: what was published is in the table now
            tomcat.destroy();
        }

        List<String> payloads = new ArrayList<>();
        try (HikariDataSource db = JdbcSink.embeddedH2(dir.resolve("db")).open();
             Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT type, payload FROM http_requests")) {
            while (rs.next()) {
                assertEquals("http_request", rs.getString(1));
                payloads.add(rs.getString(2));
            }
        }
        assertEquals(1, payloads.size(), payloads::toString);
        String p = payloads.get(0);
        for (String expected : new String[] {"\"method\":\"POST\"", "\"path\":\"/orders\"", "\"status\":201",
            "\"x-request-id\":\"req-1\"", "\"requestBody\":\"{\\\"item\\\":\\\"book\\\"}\"", "\"responseBody\":\"{\\\"id\\\":7}\""}) {
            assertTrue(p.contains(expected), expected + " in " + p);
        }
        assertFalse(p.contains("TOKEN-1"), p);
    }
}
