package dev.ringlog.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentTypesTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "application/json | application/json | true",
        "application/json | Application/JSON;charset=UTF-8 | true",
        "application/json | application/json ; charset=UTF-8 | true",
        "application/json | application/json-patch+json | false",
        "application/json | application/jsonx | false",
        "text/* | text/plain | true",
        "text/* | text/ | false",
        "text/* | textual/plain | false",
    })
    void matchesIgnoringCaseAndParameters(String configured, String actual, boolean matches) {
        assertEquals(matches, ContentTypes.matches(ContentTypes.parse(configured), actual));
    }
}
