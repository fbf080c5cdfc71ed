package dev.ringlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventLogConfigTest {

    private static EventLog.Builder<LogEvent> builder() {
        return EventLog.builder(LogEvent::new, new RecordingSink<LogEvent, String>(LogEvent::type)).shutdownHook(false);
    }

    private static String rejection(Map<String, String> config) {
        return assertThrows(IllegalArgumentException.class, () -> builder().configure(config)).getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ringlog.ringSize|1000|ringlog.ringSize must be a power of two in [64, 2^24]: ringlog.ringSize=1000",
        "ringlog.ringSize|32|ringlog.ringSize must be a power of two in [64, 2^24]: ringlog.ringSize=32",
        "ringlog.ringSize|lots|ringlog.ringSize must be an integer of digits 0-9: ringlog.ringSize=lots",
        "ringlog.ringSize|' 64 '|'ringlog.ringSize must be an integer of digits 0-9: ringlog.ringSize= 64 '",
        "ringlog.ringSize|6_4|ringlog.ringSize must be an integer of digits 0-9: ringlog.ringSize=6_4",
        "ringlog.ringSize|\u0666\u0664|ringlog.ringSize must be an integer of digits 0-9: ringlog.ringSize=\u0666\u0664",
        "ringlog.ringSize|99999999999|ringlog.ringSize must be an integer of digits 0-9: ringlog.ringSize=99999999999",
        "ringlog.linger|99999999999999999999ms|ringlog.linger must be a duration like 100ms, 2s or PT0.5S in [0, 1m]: ringlog.linger=99999999999999999999ms",
        "ringlog.linger|999999999999999999h|ringlog.linger must be a duration like 100ms, 2s or PT0.5S in [0, 1m]: ringlog.linger=999999999999999999h",
        "ringlog.linger|' 5ms'|ringlog.linger must be a duration like 100ms, 2s or PT0.5S in [0, 1m]: ringlog.linger= 5ms",
        "ringlog.linger|5 ms|ringlog.linger must be a duration like 100ms, 2s or PT0.5S in [0, 1m]: ringlog.linger=5 ms",
        "ringlog.linger|pt1s|ringlog.linger must be a duration like 100ms, 2s or PT0.5S in [0, 1m]: ringlog.linger=pt1s",
        "ringlog.shutdownTimeout|99999999999999999999ms|ringlog.shutdownTimeout must be a duration like 100ms, 2s or PT0.5S in [0, 1h]: ringlog.shutdownTimeout=99999999999999999999ms",
        "ringlog.overflow|block:99999999999999999999ms|ringlog.overflow must be drop, block or block:<duration> (block:2s), the duration in [0, 1h]: ringlog.overflow=block:99999999999999999999ms",
        "ringlog.maxBatchSize|0|ringlog.maxBatchSize must be in [1, ringSize]: ringlog.maxBatchSize=0",
        "ringlog.linger|-5ms|ringlog.linger must be a duration like 100ms, 2s or PT0.5S in [0, 1m]: ringlog.linger=-5ms",
        "ringlog.linger|2m|ringlog.linger must be a duration like 100ms, 2s or PT0.5S in [0, 1m]: ringlog.linger=2m",
        "ringlog.linger|soon|ringlog.linger must be a duration like 100ms, 2s or PT0.5S in [0, 1m]: ringlog.linger=soon",
        "ringlog.shutdownTimeout|2h|ringlog.shutdownTimeout must be a duration like 100ms, 2s or PT0.5S in [0, 1h]: ringlog.shutdownTimeout=2h",
        "ringlog.overflow|wait|ringlog.overflow must be drop, block or block:<duration> (block:2s), the duration in [0, 1h]: ringlog.overflow=wait",
        "ringlog.overflow|block:forever|ringlog.overflow must be drop, block or block:<duration> (block:2s), the duration in [0, 1h]: ringlog.overflow=block:forever",
        "ringlog.overflow|block:2h|ringlog.overflow must be drop, block or block:<duration> (block:2s), the duration in [0, 1h]: ringlog.overflow=block:2h",
        "ringlog.overflow|' drop'|ringlog.overflow must be drop, block or block:<duration> (block:2s), the duration in [0, 1h]: ringlog.overflow= drop",
        "ringlog.mode|'sync\u0000'|'ringlog.mode must be async or sync: ringlog.mode=sync\u0000'",
        "ringlog.mode|' sync'|ringlog.mode must be async or sync: ringlog.mode= sync",
        "ringlog.waitStrategy|\u017fleep|ringlog.waitStrategy must be sleep, block, yield or spin: ringlog.waitStrategy=\u017fleep",
        "ringlog.mode|later|ringlog.mode must be async or sync: ringlog.mode=later",
        "ringlog.waitStrategy|hope|ringlog.waitStrategy must be sleep, block, yield or spin: ringlog.waitStrategy=hope",
        "ringlog.name|a b|ringlog.name must be 1 to 64 letters, digits, '.', '_' or '-': ringlog.name=a b",
    })
    void rejectsABadValueNamingKeyRuleAndValue(String key, String value, String message) {
        assertEquals(message, rejection(Map.of(key, value)));
    }

    @Test
    void rejectsAnUnknownKeyNamingIt() {
        String message = rejection(Map.of("ringlog.ringsize", "1024"));
        assertEquals("unknown configuration key ringlog.ringsize: the ringlog.* keys are name, ringSize, maxBatchSize,"
                + " linger, overflow, shutdownTimeout, mode, waitStrategy, sample.<type>, sinks.<sink>.maxBatchSize,"
                + " sinks.<sink>.linger, sinks.<sink>.sample.<type>, journal.dir, journal.sync, journal.maxBytes,"
                + " journal.ack", message);
    }

    @Test
    void ignoresKeysOutsideItsPrefix() {
        builder().configure(Map.of("server.port", "8080", "ringlogger.x", "y"));
    }

    @Test
    void builderMethodsNameTheirSetting() {
        assertEquals("ringSize must be a power of two in [64, 2^24]: ringSize=1000",
                assertThrows(IllegalArgumentException.class, () -> builder().ringSize(1000)).getMessage());
        assertEquals("maxBatchSize must be in [1, ringSize]: maxBatchSize=0",
                assertThrows(IllegalArgumentException.class, () -> builder().maxBatchSize(0)).getMessage());
        assertEquals("linger must be in [0, 1m]: linger=-1ms",
                assertThrows(IllegalArgumentException.class, () -> builder().linger(Duration.ofMillis(-1))).getMessage());
        assertEquals("shutdownTimeout must be in [0, 1h]: shutdownTimeout=2h",
                assertThrows(IllegalArgumentException.class, () -> builder().shutdownTimeout(Duration.ofHours(2))).getMessage());
        assertEquals("retry backoff must satisfy 0 < initial <= max: initial=1s, max=10ms",
                assertThrows(IllegalArgumentException.class,
                        () -> RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofMillis(10))).getMessage());
        assertEquals("retry maxAttempts must be >= 1: maxAttempts=0",
                assertThrows(IllegalArgumentException.class,
                        () -> RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(10)).maxAttempts(0)).getMessage());
        assertEquals("overflow wait must be >= 0: blockFor(PT-1S)",
                assertThrows(IllegalArgumentException.class, () -> OverflowPolicy.blockFor(Duration.ofSeconds(-1))).getMessage());
    }

    @Test
    void startNamesTheKeyThatSetABatchLargerThanTheRing() {
        EventLog.Builder<LogEvent> b = builder().configure(Map.of("ringlog.maxBatchSize", "65537"));
        assertEquals("ringlog.maxBatchSize must be in [1, ringSize=65536]: ringlog.maxBatchSize=65537",
                assertThrows(IllegalArgumentException.class, b::start).getMessage());
    }

    @Test
    void startRejectsABatchLargerThanTheRing() {
        var b = builder().ringSize(64).maxBatchSize(100);
        assertEquals("maxBatchSize must be in [1, ringSize=64]: maxBatchSize=100",
                assertThrows(IllegalArgumentException.class, b::start).getMessage());
    }

    @Test
    void rejectsABadRingLogModeEnvironmentVariable() {
        var b = builder().environment(Map.of("RINGLOG_MODE", "fast"));
        assertEquals("RINGLOG_MODE must be async or sync: RINGLOG_MODE=fast",
                assertThrows(IllegalArgumentException.class, b::start).getMessage());
    }

    @Test
    void acceptsEveryKeyWithAValidValue() {
        Settings<Object> s = new Settings<>();
        s.configure(Map.of("ringlog.name", "audit", "ringlog.ringSize", "1024", "ringlog.maxBatchSize", "500",
                "ringlog.linger", "PT0.25S", "ringlog.overflow", "block:2s", "ringlog.shutdownTimeout", "5s",
                "ringlog.mode", "SYNC", "ringlog.waitStrategy", "block"));
        assertEquals("audit", s.name);
        assertEquals(1024, s.ringSize);
        assertEquals(500, s.maxBatchSize);
        assertEquals(Duration.ofMillis(250), s.linger);
        assertEquals(OverflowPolicy.blockFor(Duration.ofSeconds(2)), s.overflow);
        assertEquals("block:2s", s.overflow.toString());
        assertEquals(Duration.ofSeconds(5), s.shutdownTimeout);
        assertEquals(EventLog.Mode.SYNC, s.mode);
        assertEquals(EventLog.WaitStrategy.BLOCK, s.waitStrategy);
    }

    @ParameterizedTest
    @CsvSource({"0,PT0S", "100ms,PT0.1S", "2s,PT2S", "1m,PT1M", "250us,PT0.00025S", "PT0.5S,PT0.5S", "block,", "drop,"})
    void parsesShortAndIsoDurationsAndOverflowWords(String text, String iso) {
        if (iso == null) {
            Settings<Object> s = new Settings<>();
            s.configure(Map.of("ringlog.overflow", text));
            assertEquals(text, s.overflow.toString());
        } else {
            assertEquals(Duration.parse(iso), Settings.parseDuration("k", text, Duration.ofHours(1)));
        }
    }
}
