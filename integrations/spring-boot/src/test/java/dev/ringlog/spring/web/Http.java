package dev.ringlog.spring.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client on the test application's port. */
final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    Http(int port) {
        this.port = port;
    }

    HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build();
    }

    HttpResponse<String> send(String path) throws Exception {
        return client.send(get(path), HttpResponse.BodyHandlers.ofString());
    }

    HttpClient client() {
        return client;
    }

    /** GETs {@code path} and parses the body as JSON, whatever the status. */
    JsonNode json(String path) throws Exception {
        return JSON.readTree(send(path).body());
    }
}
