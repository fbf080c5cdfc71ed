package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The timeout settings of both builders: ranges and messages (the bounds themselves are tested on real servers). */
class JdbcSinkTimeoutsTest {

    private static final HikariDataSource UNUSED = new HikariDataSource();

    @Test
    void rejectsANetworkTimeoutOutsideItsRangeOnBothBuilders() {
        for (Consumer<Duration> set : setters(true)) {
            assertMessage("networkTimeout must be in [100 ms, 1 h]: networkTimeout=PT0.099S", () -> set.accept(Duration.ofMillis(99)));
            assertMessage("networkTimeout must be in [100 ms, 1 h]: networkTimeout=PT1H0.001S",
                    () -> set.accept(Duration.ofHours(1).plusMillis(1)));
            assertMessage("networkTimeout must be in [100 ms, 1 h]: networkTimeout=PT-1S", () -> set.accept(Duration.ofSeconds(-1)));
            assertEquals("networkTimeout", assertThrows(NullPointerException.class, () -> set.accept(null)).getMessage());
            set.accept(Duration.ofMillis(100));
            set.accept(Duration.ofHours(1));
        }
    }

    @Test
    void rejectsAQueryTimeoutOutsideItsRangeOnBothBuilders() {
        for (Consumer<Duration> set : setters(false)) {
            assertMessage("queryTimeout must be in [1 s, 1 h]: queryTimeout=PT0.999S", () -> set.accept(Duration.ofMillis(999)));
            assertMessage("queryTimeout must be in [1 s, 1 h]: queryTimeout=PT2H", () -> set.accept(Duration.ofHours(2)));
            assertMessage("queryTimeout must be in [1 s, 1 h]: queryTimeout=PT0S", () -> set.accept(Duration.ZERO));
            assertEquals("queryTimeout", assertThrows(NullPointerException.class, () -> set.accept(null)).getMessage());
            set.accept(Duration.ofSeconds(1));
            set.accept(Duration.ofHours(1));
        }
    }

    @Test
    void defaultsAreFinite() {
        assertEquals(Duration.ofSeconds(60), JdbcSink.Timeouts.DEFAULT.network());
        assertEquals(Duration.ofSeconds(30), JdbcSink.Timeouts.DEFAULT.query());
    }

    private static Consumer<Duration>[] setters(boolean network) {
        JdbcSink.TableBuilder table = JdbcSink.forLogEvents(UNUSED);
        JdbcSink.Builder<Object> custom = JdbcSink.builder(UNUSED, "INSERT INTO t (a) VALUES (?)", (ps, e) -> ps.setInt(1, 1));
        @SuppressWarnings("unchecked")
        Consumer<Duration>[] setters = network
                ? new Consumer[] {(Consumer<Duration>) table::networkTimeout, (Consumer<Duration>) custom::networkTimeout}
                : new Consumer[] {(Consumer<Duration>) table::queryTimeout, (Consumer<Duration>) custom::queryTimeout};
        return setters;
    }

    private static void assertMessage(String expected, Executable setting) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, setting).getMessage());
    }
}
