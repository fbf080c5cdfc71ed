package dev.ringlog.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bad option fails when it is set, with a message naming the option, the rule and the value. */
class RequestLogFilterBuilderTest {

    private final EventLog<LogEvent> log = EventLog.builder(LogEvent::new, new RecordingSink())
            .name("servlet-builder-test").jmx(false).shutdownHook(false).start();

    @AfterEach
    void close() {
        log.close();
    }

    private void fails(String message, Consumer<RequestLogFilter.Builder> option) {
        RequestLogFilter.Builder builder = RequestLogFilter.builder(log);
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> option.accept(builder)).getMessage());
    }

    @Test
    void rejectsOutOfRangeSizesAndTimeouts() {
        fails("maxBodyBytes must be in [1, 1048576]: maxBodyBytes=0", b -> b.maxBodyBytes(0));
        fails("maxBodyBytes must be in [1, 1048576]: maxBodyBytes=1048577", b -> b.maxBodyBytes(1_048_577));
        fails("requestBodyTimeout must be in [1ms, 1h]: requestBodyTimeout=PT0S", b -> b.requestBodyTimeout(Duration.ZERO));
        fails("requestBodyTimeout must be in [1ms, 1h]: requestBodyTimeout=null", b -> b.requestBodyTimeout(null));
        fails("responseBodyTimeout must be in [1ms, 1h]: responseBodyTimeout=PT2H", b -> b.responseBodyTimeout(Duration.ofHours(2)));
    }

    @Test
    void rejectsBadSampleRatesAndPatterns() {
        fails("sample rate must be in [0.0, 1.0]: sample(\"/health\", 1.5)", b -> b.sample("/health", 1.5));
        fails("sample rate must be in [0.0, 1.0]: sample(\"/health\", -0.1)", b -> b.sample("/health", -0.1));
        fails("sample rate must be in [0.0, 1.0]: sample(\"/health\", NaN)", b -> b.sample("/health", Double.NaN));
        fails("sample(\"health\", 0.1) path pattern must start with '/': health", b -> b.sample("health", 0.1));
        fails("sample(null, 0.1) path pattern must start with '/': null", b -> b.sample(null, 0.1));
        fails("sample(\"/a/***\", 0.1) path pattern has '***' (use '*' within a segment or '**' for any number of segments):"
                + " /a/***", b -> b.sample("/a/***", 0.1));
    }

    @Test
    void refusesCredentialHeaders() {
        for (String header : new String[] {"Authorization", "cookie", "Set-Cookie", "PROXY-AUTHORIZATION"}) {
            fails("headers: " + header + " carries credentials and is never logged; remove it (refused: authorization,"
                    + " proxy-authorization, cookie, set-cookie)", b -> b.headers("User-Agent", header));
        }
        fails("headers: a header name must not be empty: \"\"", b -> b.headers(""));
    }

    @Test
    void rejectsMalformedContentTypesAndEmptyNames() {
        for (String type : new String[] {"json", "application/", "/json", "text/plain; charset=UTF-8", "*/*"}) {
            fails("bodyContentTypes: each must be type/subtype or type/*, without parameters: bodyContentTypes=\"" + type + "\"",
                    b -> b.bodyContentTypes("application/json", type));
        }
        fails("eventType must not be empty: eventType=\" \"", b -> b.eventType(" "));
        fails("pathTemplateAttribute must not be empty: pathTemplateAttribute=null", b -> b.pathTemplateAttribute(null));
    }
}
