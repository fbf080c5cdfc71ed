package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.testsupport.TestDatabases;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The sink contract on the PostgreSQL server ({@code RINGLOG_PG_URL}). */
class PostgresSinkTest extends SinkContractTest {

    @Override
    HikariDataSource newPool(String tag) {
        TestServer.POSTGRES.assumeReachable();
        return TestServer.POSTGRES.pool(tag);
    }

    @Override
    void prepareBreaking(FaultyDataSource faulty, HikariDataSource pool, String tag) {
        // The sink's connections carry application_name = tag; the killer finds them by it.
    }

    /** Terminates the sink's backends from another connection, as an operator or a failover would. */
    @Override
    int breakSinkConnection(FaultyDataSource faulty, String tag) throws Exception {
        try (Connection admin = java.sql.DriverManager.getConnection(TestDatabases.PG_URL, TestDatabases.PG_USER, "");
             PreparedStatement ps = admin.prepareStatement("SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid, 5000))"
                     + " FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, tag);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Two service instances: two pools, two sinks, two logs, one table. */
    @Test
    void twoLogsShareOneTable() throws Exception {
        JdbcSink<LogEvent> sinkA = standardSink(pool);
        JdbcSink<LogEvent> sinkB = standardSink(pool(tag + "_b"));
        EventLog<LogEvent> a = start(EventLog.builder(LogEvent::new, sinkA).name("instance-a"));
        EventLog<LogEvent> b = start(EventLog.builder(LogEvent::new, sinkB).name("instance-b"));
        CompletableFuture<Void> runA = CompletableFuture.runAsync(() -> publish(a, "a", 150_000));
        CompletableFuture<Void> runB = CompletableFuture.runAsync(() -> publish(b, "b", 150_000));
        runA.get();
        runB.get();
        assertTrue(a.flush(WAIT));
        assertTrue(b.flush(WAIT));
        a.close();
        b.close();
        assertEquals(150_000, a.stats().written());
        assertEquals(150_000, b.stats().written());
        assertExactly(300_000, null);
        assertEquals(150_000, count("SELECT COUNT(*) FROM " + table + " WHERE actor = 'a'"));
        assertEquals(150_000, count("SELECT COUNT(*) FROM " + table + " WHERE actor = 'b'"));
    }

    private static void publish(EventLog<LogEvent> log, String instance, int n) {
        for (int i = 0; i < n; i++) {
            assertTrue(log.publish(LogEvent::set, "shared", instance, instance + "-" + i));
        }
    }

    /** A real unreachable server: a pool on a port where nothing listens builds and fails retryably. */
    @Test
    void buildsAgainstAPortWhereNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/test");
        config.setUsername(TestDatabases.PG_USER);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(250);
        try (HikariDataSource closed = new HikariDataSource(config)) {
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(closed).table(table).build(); // no exception
            SQLException failure = assertThrows(SQLException.class, () -> sink.add(new LogEvent()));
            assertTrue(sink.isRetryable(failure), () -> "retryable: " + failure);
            assertFalse(failure.getMessage().contains("password"));
            sink.close();
        }
    }

    /** Two instances starting at once on a new table: PostgreSQL's IF NOT EXISTS is not atomic; neither may fail. */
    @Test
    void twoSinksCreateTheSameTableAtOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            String shared = table + "_r" + round;
            tables.add(shared);
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            HikariDataSource other = pool(tag + "_c" + round);
            java.util.concurrent.Callable<JdbcSink<LogEvent>> build = () -> {
                start.await();
                return JdbcSink.forLogEvents(pool).table(shared).build();
            };
            java.util.concurrent.Callable<JdbcSink<LogEvent>> buildOther = () -> {
                start.await();
                return JdbcSink.forLogEvents(other).table(shared).build();
            };
            java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.Future<JdbcSink<LogEvent>> a = two.submit(build);
                java.util.concurrent.Future<JdbcSink<LogEvent>> b = two.submit(buildOther);
                JdbcSink<LogEvent> sinkA = a.get();
                JdbcSink<LogEvent> sinkB = b.get();
                assertTrue(sinkA.connected() && sinkB.connected(), "both built and created or found the table");
                sinkA.add(dev.ringlog.TestEvents.event(1, 1, "t", "a", "p1"));
                sinkA.flush(); // the table exists and the sink is connected: no exception
                sinkB.add(dev.ringlog.TestEvents.event(2, 2, "t", "b", "p2"));
                sinkB.flush();
                sinkA.close();
                sinkB.close();
            } finally {
                two.shutdownNow();
            }
            assertEquals(2, count("SELECT COUNT(*) FROM " + shared));
        }
    }

    /** Runs {@code sql} as the test's superuser, outside any transaction. */
    static void admin(String... sql) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(TestDatabases.PG_URL, TestDatabases.PG_USER, "");
             java.sql.Statement s = c.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        }
    }

    /**
     * Runs {@code test} with a pool that logs in as a new role holding {@code privileges} on this test's
     * table (created beforehand, as the superuser, with the standard DDL); drops the role afterwards.
     */
    void asRoleWith(String privileges, java.util.function.Function<HikariDataSource, EventLog<LogEvent>> test,
                    java.util.function.Consumer<EventLog<LogEvent>> check) throws Exception {
        JdbcSink.forLogEvents(pool).table(table).build().close(); // the table, made by its owner
        String role = tag + "_role";
        admin("CREATE ROLE " + role + " LOGIN", "GRANT " + privileges + " ON " + table + " TO " + role);
        HikariDataSource asRole = TestServer.pool(TestDatabases.PG_URL, role, tag + "_r", new Properties());
        try {
            EventLog<LogEvent> log = test.apply(asRole);
            try {
                check.accept(log);
            } finally {
                log.close();
            }
        } finally {
            asRole.close();
            admin("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    /** A role with only INSERT and SELECT on an existing table writes everything: the sink needs no DDL there. */
    @Test
    void writesAsARoleThatMayOnlyInsertAndSelect() throws Exception {
        asRoleWith("INSERT, SELECT", ds -> start(EventLog.builder(LogEvent::new, standardSink(ds)).name("least-privilege")), log -> {
            for (int i = 0; i < 1_000; i++) {
                assertTrue(log.publish(LogEvent::set, "lp", "a", "lp-" + i));
            }
            assertTrue(log.flush(Duration.ofSeconds(20)), () -> "not drained after 20 s: " + log.stats());
            try {
                assertExactly(1_000, log);
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
    }

    /**
     * A role that may not insert: the database answers, so waiting cannot fix it; every event ends
     * dead-lettered with the privilege error (42501) within a bounded time instead of being retried forever.
     */
    @Test
    void deadLettersWhatTheRoleMayNotInsert() throws Exception {
        Map<String, Throwable> dead = new ConcurrentHashMap<>();
        asRoleWith("SELECT", ds -> start(EventLog.builder(LogEvent::new, standardSink(ds)).name("no-insert")
                .deadLetters((e, cause) -> dead.put(e.payload(), cause))), log -> {
            for (int i = 0; i < 100; i++) {
                assertTrue(log.publish(LogEvent::set, "denied", "a", "d-" + i));
            }
            assertTrue(log.flush(Duration.ofSeconds(30)), () -> "not resolved after 30 s: " + log.stats());
            assertEquals(100, dead.size());
            assertEquals(0, log.stats().written());
            assertEquals(100, log.stats().failed());
            Throwable cause = dead.get("d-0");
            assertEquals("42501", SqlFailures.realCause((SQLException) cause).getSQLState(), cause::toString);
        });
    }

    /**
     * A schema-qualified table named in another case than it was created: PostgreSQL folds unquoted
     * names to lower case, and so does the metadata lookup; with createTable(false) no DDL could hide a miss.
     */
    @Test
    void findsAnExistingSchemaQualifiedTableWhateverTheCaseOfItsName() throws Exception {
        String schema = tag + "_s";
        admin("CREATE SCHEMA " + schema);
        try {
            JdbcSink.forLogEvents(pool).table(schema + ".events").build().close();
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(pool).table(schema.toUpperCase(java.util.Locale.ROOT) + ".Events")
                    .createTable(false).build();
            sink.add(dev.ringlog.TestEvents.event(1, 1, "t", "a", "p"));
            sink.flush();
            sink.close();
            assertEquals(1, count("SELECT COUNT(*) FROM " + schema + ".events"));
        } finally {
            admin("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
