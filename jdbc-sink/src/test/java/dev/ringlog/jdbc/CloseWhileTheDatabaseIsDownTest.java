package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * close() while the sink thread waits in HikariCP for a connection with the pool's default 30 s
 * {@code connectionTimeout} (here: the only connection of the pool is taken), on PostgreSQL. close()
 * returns within shutdownTimeout; the connection then comes free, as a database that comes back
 * would: nothing may be written after close() returned, and every durable future has one outcome.
 */
@Timeout(60)
class CloseWhileTheDatabaseIsDownTest {

    @BeforeAll
    static void reachable() {
        TestDatabases.assumeReachable("PostgreSQL", TestDatabases.PG_URL, TestDatabases.PG_USER);
    }

    @Test
    void closeReturnsInTimeAndNothingIsWrittenAfterIt() throws Exception {
        String table = "close_down_" + Long.toHexString(System.nanoTime());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabases.PG_URL);
        config.setUsername(TestDatabases.PG_USER);
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(30_000); // HikariCP's default
        List<Thread> sinkThread = new ArrayList<>();
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(pool).table(table).build(); // creates the table
            sink.close(); // gives the connection back: the sink takes one again on its first write
            EventLog<LogEvent> log;
            List<CompletableFuture<Void>> durable = new ArrayList<>();
            long tookMs;
            try (Connection held = pool.getConnection()) { // from now on the sink thread waits in the pool
                log = EventLog.builder(LogEvent::new, sink).name("down").ringSize(16_384)
                        .overflow(OverflowPolicy.BLOCK).shutdownTimeout(Duration.ofSeconds(2)).shutdownHook(false)
                        .threadFactory(r -> {
                            Thread t = new Thread(r, "down-sink");
                            t.setDaemon(true);
                            sinkThread.add(t);
                            return t;
                        }).start();
                for (int i = 0; i < 10_000; i++) {
                    if (i % 10 == 0) {
                        durable.add(log.publishDurable(LogEvent::set, "audit", "u" + i, "{}"));
                    } else {
                        assertTrue(log.publish(LogEvent::set, "page_view", "u" + i, "{}"));
                    }
                }
                long start = System.nanoTime();
                log.close();
                tookMs = (System.nanoTime() - start) / 1_000_000;
            } // the connection is free again: a sink thread still waiting would now write
            sinkThread.get(0).join(10_000);

            assertTrue(tookMs < 2_500, "close() returned within shutdownTimeout=2s: " + tookMs + " ms");
            for (CompletableFuture<Void> f : durable) {
                Throwable outcome = f.handle((ok, failure) -> failure).get(10, TimeUnit.SECONDS);
                assertInstanceOf(CancellationException.class, outcome, "no future both cancelled and written");
            }
            EventLog.Stats stats = log.stats();
            assertEquals(0, stats.written(), "nothing written after close() returned: " + stats);
            assertEquals(10_000, stats.pending(), stats.toString());
            try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                assertEquals(0, rs.getLong(1), "rows in the table");
                st.execute("DROP TABLE " + table);
            }
        }
    }
}
