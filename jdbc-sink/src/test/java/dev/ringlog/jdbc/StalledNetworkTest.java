package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.RetryPolicy;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every database call of the sink is bounded: a TCP proxy between the sink and the real server stops
 * forwarding without closing a socket (a half-open connection), and the sink's attempt fails within
 * its network timeout, is retried, and everything is written once forwarding resumes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StalledNetworkTest {

    static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(1);
    /** Slack over a timeout for a loaded 2-core machine: scheduling, backoff, the pool's bookkeeping. */
    static final Duration SLACK = Duration.ofSeconds(3);

    private final String table = "rl_stall_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private TestServer server;
    private StallingProxy proxy;
    private HikariDataSource pool;
    private EventLog<LogEvent> log;

    /** Opens the pool on the server through a new proxy; {@link #closeAndDropTable} closes them and the log. */
    private void connect(String db) throws IOException {
        TestServer s = TestServer.reachable(db);
        proxy = new StallingProxy(s.port());
        pool = TestServer.pool(proxy.url(s.url()), s.user(), table, new Properties());
        pool.setConnectionTimeout(2_000); // the bound on getting a connection through the stalled proxy
        server = s;
    }

    @AfterEach
    void closeAndDropTable() throws SQLException {
        if (server == null) {
            return; // skipped before connecting: no proxy, no pool, no table
        }
        try {
            proxy.resume(); // whatever the test left stalled: a blocked thread finishes before the pool closes
            if (log != null) {
                log.close();
            }
            pool.close();
            proxy.close();
        } finally {
            server.dropTable(table);
        }
    }

    /**
     * Milliseconds from {@code sinceNanos} to the first retry of {@code log}, or to {@code giveUp} without
     * one: polled, as there is no signal for "the sink failed". The caller asserts that there was one.
     */
    static long millisToFirstRetry(EventLog<?> log, long sinceNanos, Duration giveUp) {
        long deadline = sinceNanos + giveUp.toNanos();
        while (log.stats().retries() == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000);
        }
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    /**
     * The network timeout is the bound under test: the query timeout is set longer, because on
     * PostgreSQL it sends a cancel over a new connection, which a stalled network holds for pgjdbc's
     * {@code cancelSignalTimeout} (10 s) while the statement waits for it (measured: 11 s with both at 1 s).
     */
    private JdbcSink<LogEvent> sink() {
        return JdbcSink.forLogEvents(pool).table(table).networkTimeout(NETWORK_TIMEOUT)
                .queryTimeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void retriesWithinTheNetworkTimeoutWhileTheNetworkStallsAndWritesEverythingAfter(String db) throws Exception {
        connect(db);
        log = EventLog.builder(LogEvent::new, sink()).name("stall-" + db)
                .overflow(OverflowPolicy.BLOCK).retry(RetryPolicy.backoff(Duration.ofMillis(5), Duration.ofMillis(200)))
                .shutdownHook(false).start();
        publish(log, 0, 10_000);
        assertTrue(log.flush(Duration.ofSeconds(30)), () -> "written before the stall: " + log.stats());

        proxy.stall();
        long stalledAt = System.nanoTime();
        publish(log, 10_000, 20_000);
        long firstRetryMs = millisToFirstRetry(log, stalledAt, Duration.ofSeconds(20));
        EventLog.Stats stalled = log.stats();
        System.out.printf("%s: stalled, first retry after %d ms (network timeout %d ms): %s%n",
                db, firstRetryMs, NETWORK_TIMEOUT.toMillis(), stalled);
        assertTrue(stalled.retries() > 0, () -> "the sink's attempt never failed in 20 s of stall: " + stalled);
        assertTrue(firstRetryMs <= NETWORK_TIMEOUT.plus(SLACK).toMillis(),
                () -> "first retry " + firstRetryMs + " ms after the stall, network timeout " + NETWORK_TIMEOUT);
        assertFalse(log.flush(Duration.ofSeconds(2)), "a flush cannot finish while nothing reaches the database");

        EventLog.Stats stats = drainAfterResume();
        System.out.printf("%s: after resume: %s%n", db, stats);
        assertEquals(20_000, stats.accepted(), () -> "accepted: " + stats);
        assertEquals(20_000, stats.written(), () -> "written: " + stats);
        assertEquals(0, stats.failed(), () -> "failed: " + stats);
        assertExactly(20_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void closeReturnsAndTheSinkThreadEndsWithinBoundsWhileTheNetworkStalls(String db) throws Exception {
        connect(db);
        Duration shutdownTimeout = Duration.ofSeconds(2);
        AtomicReference<Thread> sinkThread = new AtomicReference<>();
        log = EventLog.builder(LogEvent::new, sink()).name("stall-close-" + db)
                .overflow(OverflowPolicy.BLOCK).retry(RetryPolicy.backoff(Duration.ofMillis(5), Duration.ofMillis(200)))
                .shutdownTimeout(shutdownTimeout).shutdownHook(false)
                .threadFactory(r -> {
                    Thread t = new Thread(r, "stall-close-sink");
                    t.setDaemon(true);
                    sinkThread.set(t);
                    return t;
                })
                .start();
        publish(log, 0, 5_000);
        assertTrue(log.flush(Duration.ofSeconds(30)), () -> "written before the stall: " + log.stats());
        proxy.stall();
        publish(log, 5_000, 10_000);
        assertFalse(log.flush(Duration.ofMillis(500)), "nothing reaches the database while stalled");

        long t0 = System.nanoTime();
        log.close();
        long closeMs = (System.nanoTime() - t0) / 1_000_000;
        // After close gave up, the sink thread's attempt in progress must still end by itself: each
        // call has its own bound (network timeout; the pool's connectionTimeout for a new connection).
        Duration threadBound = NETWORK_TIMEOUT.plus(Duration.ofMillis(pool.getConnectionTimeout())).plus(SLACK);
        sinkThread.get().join(threadBound.toMillis());
        long endedMs = (System.nanoTime() - t0) / 1_000_000;
        boolean ended = !sinkThread.get().isAlive();
        System.out.printf("%s: close() returned after %d ms (shutdownTimeout %d ms); sink thread %s after %d ms; %s%n",
                db, closeMs, shutdownTimeout.toMillis(), ended ? "ended" : "still running", endedMs, log.stats());
        proxy.resume(); // let a thread that is still blocked finish before the pool closes
        assertTrue(closeMs <= shutdownTimeout.plus(SLACK).toMillis(),
                () -> "close() took " + closeMs + " ms with shutdownTimeout " + shutdownTimeout);
        assertTrue(ended, () -> "the sink thread was still blocked " + endedMs + " ms after close() began (allowed:"
                + " the return of close() + " + threadBound.toMillis() + " ms)");
        EventLog.Stats stats = log.stats();
        assertEquals(stats.accepted(), stats.written() + stats.pending(), () -> "accounting: " + stats);
        assertEquals(stats.written(), server.count("SELECT COUNT(*) FROM " + table), () -> "rows == written: " + stats);
    }

    /** Under DROP nothing the database does makes a publish wait: here the network stops answering. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void underDropAStalledNetworkNeverMakesAPublishWait(String db) throws Exception {
        connect(db);
        log = EventLog.builder(LogEvent::new, sink()).name("stall-drop-" + db)
                .ringSize(1024).overflow(OverflowPolicy.DROP)
                .retry(RetryPolicy.backoff(Duration.ofMillis(5), Duration.ofMillis(200))).shutdownHook(false).start();
        long accepted = 0;
        long slowestNanos = 0;
        proxy.stall();
        for (int i = 0; i < 200_000; i++) {
            long t0 = System.nanoTime();
            accepted += log.publish(LogEvent::set, "stall", "a", "d-" + i) ? 1 : 0;
            slowestNanos = Math.max(slowestNanos, System.nanoTime() - t0);
        }
        EventLog.Stats stats = drainAfterResume();
        long slowestMs = slowestNanos / 1_000_000;
        System.out.printf("%s: DROP through a stall: slowest publish %d us, %s%n", db, slowestNanos / 1_000, stats);
        // Far above a publish (a GC pause, a descheduled thread), far below the network timeout of 1 s.
        assertTrue(slowestMs < 200, () -> "a publish waited " + slowestMs + " ms while the network stalled");
        assertTrue(stats.dropped() > 0, () -> "the ring filled while the database could not be reached: " + stats);
        assertEquals(200_000, stats.accepted() + stats.dropped(), () -> stats.toString());
        assertEquals(accepted, stats.written(), () -> "written: " + stats);
        assertExactly(accepted);
    }

    /** Resumes forwarding, waits until the log has written all it holds, and closes it: its final stats. */
    private EventLog.Stats drainAfterResume() {
        proxy.resume();
        assertTrue(log.flush(Duration.ofSeconds(60)), () -> "not drained after resume: " + log.stats());
        log.close();
        return log.stats();
    }

    private static void publish(EventLog<LogEvent> log, int from, int to) {
        for (int i = from; i < to; i++) {
            assertTrue(log.publish(LogEvent::set, "stall", "a", "s-" + i));
        }
    }

    private void assertExactly(long expected) throws SQLException {
        assertEquals(expected, server.count("SELECT COUNT(*) FROM " + table), "rows");
        assertEquals(expected, server.count("SELECT COUNT(DISTINCT id) FROM " + table), "distinct ids");
        assertEquals(expected, server.count("SELECT COUNT(DISTINCT payload) FROM " + table), "distinct payloads");
    }
}
