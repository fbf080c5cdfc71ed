package dev.ringlog.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The JSON of MDC and key-value pairs: typed where JSON has a type, every string escaped, empty is NULL. */
class JsonObjectTest {

    @Test
    void writesNumbersAndBooleansBareAndEverythingElseAsStrings() {
        String json = new JsonObject().add("n", 42).add("l", 7L).add("d", 1.5).add("ok", true).add("none", null)
                .add("nan", Double.NaN).add("s", "text").toStringOrNull();
        assertEquals("{\"n\":42,\"l\":7,\"d\":1.5,\"ok\":true,\"none\":null,\"nan\":\"NaN\",\"s\":\"text\"}", json);
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersInKeysAndValues() {
        String json = new JsonObject().add("a\"b", "line\nnext\ttab\\ \u0001").toStringOrNull();
        assertEquals("{\"a\\\"b\":\"line\\nnext\\ttab\\\\ \\u0001\"}", json);
    }

    @Test
    void anObjectWithoutMembersIsNull() {
        assertNull(new JsonObject().toStringOrNull(), "the column stays NULL");
    }
}
