package dev.ringlog.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.JdbcSink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Events still pending when the context closes are written before the log's pool closes: the
 * database is slowed by a trigger (5 ms a row) so that they are really pending at {@code close()}.
 */
class ShutdownTest {

    static final int EVENTS = 300;

    @TempDir
    Path directory;

    /** Creates the standard table in the H2 file at {@code url} and slows its inserts down. */
    static void slowTable(String url, String table) throws Exception {
        try (HikariDataSource db = new HikariDataSource()) {
            db.setJdbcUrl(url);
            try (JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(db).table(table).build()) {
                assertTrue(sink.toString().contains(table));
            }
            try (Connection c = db.getConnection()) {
                SlowInserts.install(c, table);
            }
        }
    }

    static long rows(String url, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            return Rows.count(c, "SELECT COUNT(*) FROM " + table);
        }
    }

    @Test
    void eventsPendingAtContextCloseAreAllWritten() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("shop");
        slowTable(url, "boot_shutdown");
        long[] pendingAtClose = new long[1];
        EventLog.Stats[] after = new EventLog.Stats[1];
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, RinglogAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url, "ringlog.table=boot_shutdown",
                        "ringlog.max-batch-size=20", "ringlog.shutdown-timeout=30s")
                .run(context -> {
                    @SuppressWarnings("unchecked")
                    EventLog<LogEvent> log = context.getBean(EventLog.class);
                    for (int i = 0; i < EVENTS; i++) {
                        assertTrue(log.publish(LogEvent::set, "page_view", "user-" + i, "{}"));
                    }
                    pendingAtClose[0] = log.stats().pending();
                    context.close();
                    after[0] = log.stats();
                });
        // 300 rows at 5 ms each take 1.5 s: most were pending when the context closed.
        assertTrue(pendingAtClose[0] > EVENTS / 2, "pending at close: " + pendingAtClose[0]);
        assertEquals(new EventLog.Stats(EVENTS, 0, EVENTS, 0, 0, after[0].batches(), 0), after[0]);
        assertEquals(EVENTS, rows(url, "boot_shutdown"));
    }
}
