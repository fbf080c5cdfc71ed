package dev.ringlog.examples;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Serves a Prometheus registry's meters at {@code http://127.0.0.1:<port>/metrics} in the Prometheus
 * text format, with the JDK's HTTP server on a thread of its own, until closed.
 */
final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer server;

    /** Starts serving {@code registry} on {@code port} of the loopback interface (0: any free port). */
    MetricsEndpoint(PrometheusMeterRegistry registry, int port) throws IOException {
        server = LoopbackHttpServer.create(port);
        // tag::prometheus_endpoint[]
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);   // the Prometheus text format
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        // end::prometheus_endpoint[]
        server.start();
    }

    /** Where the meters are served. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
