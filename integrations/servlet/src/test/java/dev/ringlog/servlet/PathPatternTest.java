package dev.ringlog.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathPatternTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "/health, /health, true",
        "/health, /health/, false",
        "/health, /healthz, false",
        "/health/**, /health, true",
        "/health/**, /health/, true",
        "/health/**, /health/db/ping, true",
        "/health/**, /healthz, false",
        "/api/*, /api/users, true",
        "/api/*, /api/users/1, false",
        "/api/*/orders, /api/7/orders, true",
        "/api/*.json, /api/list.json, true",
        "/api/*.json, /api/a/list.json, false",
        "/**/*.css, /site.css, true",
        "/**/*.css, /a/b/site.css, true",
        "/**/*.css, /a/b/site.js, false",
        "/us?rs, /users, true",
        "/us?rs, /us/rs, false",
        "/**, /, true",
        "/**, /anything/at/all, true",
    })
    void matchesAntStylePatterns(String pattern, String path, boolean matches) {
        assertEquals(matches, PathPattern.parse(pattern, "test").matches(path, 0));
    }

    @ParameterizedTest(name = "{0} within {1}")
    @CsvSource({"/health, /app/health, 4, true", "/health, /app/health, 0, false"})
    void matchesThePathWithinTheContext(String pattern, String uri, int contextPathLength, boolean matches) {
        assertEquals(matches, PathPattern.parse(pattern, "test").matches(uri, contextPathLength));
    }
}
